from rest_framework import serializers

from management.models import (
    MONEY_FIELD_KWARGS,
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressEvidence,
    ProgressReport,
)
from mipg.core.api.serializers import REVIEW_FIELDS, WriteSerializer


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "code", "name", "active"]


class BudgetAllocationSerializer(serializers.ModelSerializer):
    modifications = serializers.DecimalField(
        read_only=True,
        help_text="Neto de modificaciones: adiciones − reducciones + créditos − contracréditos.",
        **MONEY_FIELD_KWARGS,
    )
    definitive = serializers.DecimalField(
        read_only=True,
        help_text="Apropiación definitiva = apropiación inicial + modificaciones.",
        **MONEY_FIELD_KWARGS,
    )
    cdp = serializers.DecimalField(read_only=True, help_text="CDP acumulado.", **MONEY_FIELD_KWARGS)
    commitment = serializers.DecimalField(
        read_only=True, help_text="Compromisos / RP acumulados.", **MONEY_FIELD_KWARGS
    )
    obligation = serializers.DecimalField(
        read_only=True, help_text="Obligaciones acumuladas.", **MONEY_FIELD_KWARGS
    )
    payment = serializers.DecimalField(
        read_only=True, help_text="Pagos acumulados.", **MONEY_FIELD_KWARGS
    )

    class Meta:
        model = BudgetAllocation
        fields = [
            "id",
            "action",
            "source",
            "year",
            "rubro",
            "bpin",
            "appropriation",
            "modifications",
            "definitive",
            "cdp",
            "commitment",
            "obligation",
            "payment",
        ]
        extra_kwargs = {"appropriation": {"help_text": "Apropiación inicial."}}


class BudgetExecutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetExecution
        fields = [
            "id",
            "allocation",
            "stage",
            "amount",
            "date",
            "document_number",
            "description",
            "created_by",
        ]


class BudgetModificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BudgetModification
        fields = [
            "id",
            "allocation",
            "kind",
            "amount",
            "date",
            "act_number",
            "reason",
            "created_by",
        ]


class ProgressEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEvidence
        fields = ["id", "original_name", "size", "uploaded_by", "uploaded_at"]


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = ProgressEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "action", "period", "progress", *REVIEW_FIELDS, "evidence"]


# --- Writes ----------------------------------------------------------------------------


# A vigencia lies within a plan's years, which are 2000–2100.
YEAR_RANGE = {"min_value": 2000, "max_value": 2100}


class AllocationCreateSerializer(WriteSerializer):
    class Meta:
        model = BudgetAllocation
        fields = ["action", "source", "year", "rubro", "bpin", "appropriation"]
        extra_kwargs = {"year": YEAR_RANGE}


class AllocationUpdateSerializer(WriteSerializer):
    class Meta:
        model = BudgetAllocation
        fields = ["source", "year", "rubro", "bpin", "appropriation"]
        extra_kwargs = {"year": YEAR_RANGE}


class ExecutionCreateSerializer(WriteSerializer):
    class Meta:
        model = BudgetExecution
        fields = ["allocation", "stage", "amount", "date", "document_number", "description"]
        extra_kwargs = {"amount": {"help_text": "Negativo para registrar una liberación."}}


class ModificationCreateSerializer(WriteSerializer):
    class Meta:
        model = BudgetModification
        fields = ["allocation", "kind", "amount", "date", "act_number", "reason"]
        extra_kwargs = {"amount": {"help_text": "Mayor que cero; el tipo indica si suma o resta."}}


# The service refuses progress outside 0–100 %; said here too so the schema shows it.
PROGRESS_BOUNDS = {"progress": {"min_value": 0, "max_value": 100}}


class ProgressReportCreateSerializer(WriteSerializer):
    class Meta:
        model = ProgressReport
        fields = ["action", "period", "progress", "narrative"]
        extra_kwargs = PROGRESS_BOUNDS


class ProgressReportUpdateSerializer(WriteSerializer):
    class Meta:
        model = ProgressReport
        fields = ["progress", "narrative"]
        extra_kwargs = PROGRESS_BOUNDS
