from rest_framework import serializers

from management.models import (
    MONEY_FIELD_KWARGS,
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    FundingSource,
    ProgressReport,
)
from mipg.core.api.serializers import REVIEW_FIELDS, EvidenceFileSerializer, WriteSerializer


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


QUANTITY_HELP = (
    "Cantidad acumulada entregada hasta el periodo, ≥ 0: obligatoria si la actividad tiene "
    "meta de cantidad (quantity_target), rechazada si no."
)
PROGRESS_HELP = (
    "Avance físico acumulado (0–100 %). Si la actividad tiene meta de cantidad es de solo "
    "lectura: se calcula como mín(100, cantidad ÷ meta × 100) y el valor enviado se ignora."
)


class ProgressReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "period",
            "progress",
            "quantity",
            "quantity_target",
            *REVIEW_FIELDS,
            "evidence",
        ]
        extra_kwargs = {
            "quantity": {"help_text": QUANTITY_HELP},
            "quantity_target": {
                "help_text": "Meta de cantidad de la actividad con la que se calculó el avance."
            },
        }


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


REPORT_FIGURE_KWARGS = {
    # The service refuses progress outside 0–100 %; said here too so the schema shows it.
    "progress": {"required": False, "help_text": PROGRESS_HELP, "min_value": 0, "max_value": 100},
    "quantity": {"help_text": QUANTITY_HELP},
}


class ProgressReportCreateSerializer(WriteSerializer):
    class Meta:
        model = ProgressReport
        fields = ["action", "period", "progress", "quantity", "narrative"]
        extra_kwargs = REPORT_FIGURE_KWARGS


class ProgressReportUpdateSerializer(WriteSerializer):
    class Meta:
        model = ProgressReport
        fields = ["progress", "quantity", "narrative"]
        extra_kwargs = REPORT_FIGURE_KWARGS
