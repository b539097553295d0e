"""Seed the MIPG reference framework (shared/domain/MIPG.md §2). Editable in the admin.

The data is frozen here on purpose: later changes to the reference data come as new
migrations, never as edits to this one.
"""

from django.db import migrations

DIMENSIONS = [
    ("D1", "Talento Humano", "Human Talent"),
    ("D2", "Direccionamiento Estratégico y Planeación", "Strategic Direction and Planning"),
    ("D3", "Gestión con Valores para Resultados", "Values-based Management for Results"),
    ("D4", "Evaluación de Resultados", "Results Evaluation"),
    ("D5", "Información y Comunicación", "Information and Communication"),
    ("D6", "Gestión del Conocimiento y la Innovación", "Knowledge and Innovation Management"),
    ("D7", "Control Interno", "Internal Control"),
]

POLICIES = [
    ("P01", "Gestión Estratégica del Talento Humano", "Strategic Human Talent Management", "D1", "Función Pública"),
    ("P02", "Integridad", "Integrity", "D1", "Función Pública"),
    ("P03", "Planeación Institucional", "Institutional Planning", "D2", "DNP / Función Pública"),
    ("P04", "Gestión Presupuestal y Eficiencia del Gasto Público", "Budget Management and Public Spending Efficiency", "D2", "MinHacienda"),
    ("P05", "Fortalecimiento Organizacional y Simplificación de Procesos", "Organisational Strengthening and Process Simplification", "D3", "Función Pública"),
    ("P06", "Gobierno Digital", "Digital Government", "D3", "MinTIC"),
    ("P07", "Seguridad Digital", "Digital Security", "D3", "MinTIC"),
    ("P08", "Defensa Jurídica", "Legal Defence", "D3", "ANDJE"),
    ("P09", "Transparencia, Acceso a la Información Pública y Lucha contra la Corrupción", "Transparency, Access to Public Information and Fight against Corruption", "D3", "Secretaría de Transparencia"),
    ("P10", "Servicio al Ciudadano", "Citizen Service", "D3", "DNP"),
    ("P11", "Racionalización de Trámites", "Procedure Rationalisation", "D3", "Función Pública"),
    ("P12", "Participación Ciudadana en la Gestión Pública", "Citizen Participation in Public Management", "D3", "Función Pública"),
    ("P13", "Seguimiento y Evaluación del Desempeño Institucional", "Monitoring and Evaluation of Institutional Performance", "D4", "Función Pública"),
    ("P14", "Gestión Documental", "Records Management", "D5", "AGN"),
    ("P15", "Gestión del Conocimiento y la Innovación", "Knowledge and Innovation Management", "D6", "Función Pública"),
    ("P16", "Control Interno", "Internal Control", "D7", "Función Pública"),
    ("P17", "Mejora Normativa", "Regulatory Improvement", "D3", "DNP"),
    ("P18", "Gestión de la Información Estadística", "Statistical Information Management", "D5", "DANE"),
    ("P19", "Compras y Contratación Pública", "Public Procurement", "D2", "Colombia Compra Eficiente"),
]

INSTITUTIONAL_PLANS = [
    ("PINAR", "Plan Institucional de Archivos (PINAR)", "P14"),
    ("PAA", "Plan Anual de Adquisiciones", "P19"),
    ("PAV", "Plan Anual de Vacantes", "P01"),
    ("PPRH", "Plan de Previsión de Recursos Humanos", "P01"),
    ("PETH", "Plan Estratégico de Talento Humano", "P01"),
    ("PIC", "Plan Institucional de Capacitación", "P01"),
    ("PII", "Plan de Incentivos Institucionales", "P01"),
    ("PSST", "Plan de Trabajo Anual en Seguridad y Salud en el Trabajo", "P01"),
    ("PTEP", "Programa de Transparencia y Ética Pública (antes Plan Anticorrupción y de Atención al Ciudadano)", "P09"),
    ("PETI", "Plan Estratégico de Tecnologías de la Información (PETI)", "P06"),
    ("PTRSPI", "Plan de Tratamiento de Riesgos de Seguridad y Privacidad de la Información", "P07"),
    ("PSPI", "Plan de Seguridad y Privacidad de la Información", "P07"),
]


def seed(apps, schema_editor):
    Dimension = apps.get_model("mipg", "Dimension")
    Policy = apps.get_model("mipg", "Policy")
    InstitutionalPlan = apps.get_model("mipg", "InstitutionalPlan")
    Entity = apps.get_model("mipg", "Entity")

    dimensions = {}
    for order, (code, name_es, name_en) in enumerate(DIMENSIONS, start=1):
        dimensions[code], _ = Dimension.objects.update_or_create(
            code=code, defaults={"name_es": name_es, "name_en": name_en, "order": order}
        )
    policies = {}
    for code, name_es, name_en, dimension, leader in POLICIES:
        policies[code], _ = Policy.objects.update_or_create(
            code=code,
            defaults={"name_es": name_es, "name_en": name_en,
                      "dimension": dimensions[dimension], "leader": leader},
        )
    for order, (code, name, policy) in enumerate(INSTITUTIONAL_PLANS, start=1):
        InstitutionalPlan.objects.update_or_create(
            code=code, defaults={"name": name, "policy": policies[policy], "order": order}
        )
    if not Entity.objects.exists():
        Entity.objects.create(name="Entidad pública")


class Migration(migrations.Migration):
    dependencies = [("mipg", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
