from rest_framework import serializers

from accountability.models import AccountabilityReport, CitizenQuestion


class AccountabilityReportSerializer(serializers.ModelSerializer):
    html_file = serializers.FileField(read_only=True, allow_null=True, use_url=True)
    pdf_file = serializers.FileField(read_only=True, allow_null=True, use_url=True)
    data_file = serializers.FileField(
        read_only=True, allow_null=True, use_url=True, help_text="Datos abiertos (CSV/JSON)."
    )

    class Meta:
        model = AccountabilityReport
        fields = [
            "id",
            "plan",
            "kind",
            "title",
            "summary",
            "status",
            "periods",
            "html_file",
            "pdf_file",
            "data_file",
            "sha256",
            "created_at",
            "generated_at",
            "published_at",
        ]


class CitizenQuestionSerializer(serializers.ModelSerializer):
    """Una pregunta ciudadana publicada y su respuesta; nunca los datos del autor."""

    class Meta:
        model = CitizenQuestion
        fields = [
            "id",
            "report",
            "plan",
            "question",
            "answer",
            "status",
            "answered_at",
            "created_at",
        ]
