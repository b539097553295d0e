from rest_framework import serializers

from accountability.models import AccountabilityReport, CitizenQuestion, ReportFile


def _absolute(context, url):
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


class ReportFileSerializer(serializers.ModelSerializer):
    # One output of a report, with the SHA-256 of its bytes; `url` is the page that serves
    # it (the portal's once published, the staff page before), never a MEDIA_URL path.
    url = serializers.SerializerMethodField(
        help_text=(
            "Descarga del archivo (URL absoluta): pública si el informe está publicado o "
            "retirado; antes, con las credenciales de la sesión."
        )
    )

    class Meta:
        model = ReportFile
        fields = ["name", "media_type", "size", "sha256", "url"]
        read_only_fields = fields
        ref_name = "AccountabilityReportFile"

    def get_url(self, row) -> str:
        return _absolute(self.context, row.report.file_url(row.name))


class AccountabilityReportSerializer(serializers.ModelSerializer):
    html_file = serializers.SerializerMethodField(help_text="URL absoluta del informe en HTML.")
    pdf_file = serializers.SerializerMethodField(help_text="URL absoluta del informe en PDF.")
    data_file = serializers.SerializerMethodField(
        help_text="URL absoluta del paquete de datos abiertos (datapackage.json: CSV y JSON)."
    )
    files = ReportFileSerializer(
        many=True, read_only=True, help_text="Todos los archivos generados, con su SHA-256."
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
            "files",
            "sha256",
            "created_at",
            "generated_at",
            "published_at",
        ]

    def _file_url(self, report, name):
        for row in report.files.all():  # prefetched by the viewset
            if row.name == name:
                return _absolute(self.context, report.file_url(name))
        return None

    def get_html_file(self, report) -> str | None:
        return self._file_url(report, "informe.html")

    def get_pdf_file(self, report) -> str | None:
        return self._file_url(report, "informe.pdf")

    def get_data_file(self, report) -> str | None:
        return self._file_url(report, "datapackage.json")


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
