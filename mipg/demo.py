"""Data of the demo municipality loaded by `manage.py seed_demo`.

A fictional Colombian municipality, "Alcaldía de San Rafael del Río", with its units, a
Plan Estratégico Institucional 2024–2027 and the Plan de Acción 2026 that serves it, budget,
progress, indicators and one login per role. Everything here is plain data; the command
turns it into rows. Codes are the stable keys that make the command idempotent.

Rubros follow the shape of the CCPET (Catálogo de Clasificación Presupuestal para Entidades
Territoriales) and BPIN codes the shape of the DNP's, but both are illustrative.
"""

from dataclasses import dataclass, field

from mipg.core import roles

YEAR = 2026
PASSWORD = "mipg-demo-2026"

ENTITY_NAME = "Alcaldía de San Rafael del Río"
ENTITY_NIT = "890.981.234-4"
# The demo entity's contact channels (invented: the municipality does not exist).
ENTITY_IDENTITY = {
    "address": "Calle 10 # 5-23, Palacio Municipal, San Rafael del Río",
    "phone": "(604) 555 0100",
    "email": "contactenos@sanrafaeldelrio.gov.co.example",
    "office_hours": "Lunes a viernes de 8:00 a. m. a 12:00 m. y de 2:00 p. m. a 6:00 p. m.",
}
# Fictional DANE municipality code (department 68 has no municipality 999).
DANE_CODE = "68999"

# (code, name, parent code)
UNITS = [
    ("DES", "Despacho del Alcalde", None),
    ("SPL", "Secretaría de Planeación", "DES"),
    ("SHA", "Secretaría de Hacienda", "DES"),
    ("SGO", "Secretaría de Gobierno", "DES"),
    ("SGE", "Secretaría General", "DES"),
    ("SED", "Secretaría de Educación", "DES"),
    ("SSA", "Secretaría de Salud", "DES"),
    ("SIN", "Secretaría de Infraestructura", "DES"),
    ("OCI", "Oficina de Control Interno", "DES"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    units: tuple = ()
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def email(self):
        return f"{self.username}@sanrafaeldelrio.example"


# One login per role (printed at the end of the command).
USERS = [
    DemoUser("admin", "Andrés Felipe", "Rojas Quintero", roles.ADMINISTRADOR, (), True, True),
    DemoUser("planeacion", "María Fernanda", "Ortiz Salazar", roles.PLANEACION, ("SPL",)),
    DemoUser("responsable", "Carlos Andrés", "Muñoz Pineda", roles.RESPONSABLE, ("SED", "SSA")),
    DemoUser("directivo", "Juliana", "Restrepo Vélez", roles.DIRECTIVO, ("DES",)),
    DemoUser("control", "Jorge Eliécer", "Castaño Ríos", roles.CONTROL_INTERNO, ("OCI",)),
]

# First-line staff (enlaces) of the other units, so that each unit's actions are reported
# by one of its own members. Same password; listed after the main logins.
LIAISONS = [
    DemoUser("enlace.planeacion", "Diana Marcela", "Zapata Gil", roles.RESPONSABLE, ("SPL",)),
    DemoUser("enlace.hacienda", "Luis Alberto", "Cárdenas Mejía", roles.RESPONSABLE, ("SHA",)),
    DemoUser("enlace.gobierno", "Sandra Milena", "Arango Toro", roles.RESPONSABLE, ("SGO",)),
    DemoUser("enlace.general", "Héctor Fabio", "Londoño Ruiz", roles.RESPONSABLE, ("SGE",)),
    DemoUser(
        "enlace.infraestructura", "Paola Andrea", "Giraldo Henao", roles.RESPONSABLE, ("SIN",)
    ),
    DemoUser("enlace.control", "Ricardo", "Valencia Osorio", roles.RESPONSABLE, ("OCI",)),
]

# Who reports for each unit (username).
REPORTER_BY_UNIT = {
    "DES": "enlace.planeacion",
    "SPL": "enlace.planeacion",
    "SHA": "enlace.hacienda",
    "SGO": "enlace.gobierno",
    "SGE": "enlace.general",
    "SED": "responsable",
    "SSA": "responsable",
    "SIN": "enlace.infraestructura",
    "OCI": "enlace.control",
}

# --- Plan Estratégico Institucional ---------------------------------------------------

PEI = {
    "name": "Plan Estratégico Institucional 2024–2027",
    "description": (
        "Hoja de ruta de la administración municipal para el cuatrienio, articulada con el "
        "Plan de Desarrollo «San Rafael avanza con su gente 2024–2027»."
    ),
    "start_year": 2024,
    "end_year": 2027,
    "approved_at": (2024, 1, 29),
}

# (code, name, weight, policy codes)
PEI_OBJECTIVES = [
    (
        "PEI-1",
        "Consolidar una administración eficiente, íntegra y orientada a resultados",
        "20",
        ("P01", "P02", "P03", "P05"),
    ),
    (
        "PEI-2",
        "Asegurar finanzas públicas sostenibles y una gestión transparente",
        "20",
        ("P04", "P08", "P09", "P19"),
    ),
    ("PEI-3", "Ampliar la cobertura y la calidad de la educación", "20", ("P03", "P12")),
    ("PEI-4", "Mejorar la salud pública y el aseguramiento de la población", "20", ("P03", "P12")),
    (
        "PEI-5",
        "Construir un gobierno digital, cercano y sujeto a control",
        "20",
        ("P06", "P07", "P10", "P11", "P13", "P16"),
    ),
]

# --- Plan de Acción 2026 --------------------------------------------------------------

ACTION_PLAN = {
    "name": "Plan de Acción 2026",
    "description": (
        "Plan de Acción integrado de la vigencia 2026 (Ley 1474 de 2011, art. 74, y Decreto "
        "612 de 2018), publicado el 30 de enero de 2026."
    ),
    "start_year": YEAR,
    "end_year": YEAR,
    "approved_at": (2026, 1, 30),
}

# Illustrative CCPET rubros.
R_SERVICIOS_PERSONALES = "2.1.2.02.02.009"  # capacitación, bienestar, SST
R_SERVICIOS_EMPRESAS = "2.1.2.02.02.008"  # consultorías, archivo, software
R_EQUIPOS = "2.1.2.01.01.004"
R_FORTALECIMIENTO = "2.3.4599.1000.4599017"
R_CATASTRO = "2.3.0406.1000.0406008"
R_PARTICIPACION = "2.3.4502.1000.4502001"
R_TIC = "2.3.2302.1000.2302043"
R_PAE = "2.3.2201.0700.2201028"
R_TRANSPORTE_ESCOLAR = "2.3.2201.0700.2201029"
R_INFRA_EDUCATIVA = "2.3.2201.0700.2201052"
R_CONECTIVIDAD = "2.3.2301.0400.2301079"
R_SALUD_PUBLICA = "2.3.1905.1300.1905021"
R_ASEGURAMIENTO = "2.3.1906.1300.1906004"
R_IVC = "2.3.1903.1300.1903011"
R_AGUA = "2.3.1903.1300.1903012"


@dataclass(frozen=True)
class BudgetChange:
    """A modification of an allocation's apropiación by an administrative act."""

    kind: str  # addition, reduction, credit, counter_credit
    amount: int
    date: tuple  # (month, day) in YEAR
    act_number: str
    reason: str


@dataclass(frozen=True)
class Budget:
    """One allocation (its apropiación inicial); `profile` names its execution pattern in
    EXECUTION_PROFILES."""

    source: str
    rubro: str
    amount: int
    profile: str
    investment: bool = False  # investment projects carry a BPIN
    changes: tuple = ()  # BudgetChange


@dataclass(frozen=True)
class ActionSpec:
    code: str
    name: str
    deliverable: str
    unit: str
    months: tuple  # (start month, end month), inclusive, in YEAR
    weight: str
    plans: tuple = ()  # Decreto 612 plan codes
    budget: tuple = ()


@dataclass(frozen=True)
class GoalSpec:
    code: str
    name: str
    product: str
    unit: str
    weight: str
    actions: tuple = field(default_factory=tuple)


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    name: str
    weight: str
    policies: tuple
    goals: tuple


# Alignment (MIPG.md §3): the objective of the PEI each objective of the Plan de Acción
# serves; the PEI rolls up from them.
ALIGNMENT = {
    "OE1": "PEI-1",
    "OE2": "PEI-2",
    "OE3": "PEI-3",
    "OE4": "PEI-4",
    "OE5": "PEI-5",
    "OE6": "PEI-5",
}

# Short aliases keep the nested plan below readable.
A, G, B = ActionSpec, GoalSpec, Budget

OBJECTIVES = [
    ObjectiveSpec(
        "OE1",
        "Fortalecer el talento humano, la integridad y la capacidad institucional",
        "20",
        ("P01", "P02", "P05", "P14"),
        (
            G(
                "M1.1",
                "Ejecutar el Plan Estratégico de Talento Humano 2026",
                "Plan Estratégico de Talento Humano ejecutado",
                "SGE",
                "35",
                (
                    A(
                        "A1.1.1",
                        "Formular y ejecutar el Plan Institucional de Capacitación 2026",
                        "PIC aprobado y 12 jornadas de capacitación realizadas",
                        "SGE",
                        (2, 11),
                        "40",
                        ("PIC",),
                        (B("RP", R_SERVICIOS_PERSONALES, 85_000_000, "full"),),
                    ),
                    A(
                        "A1.1.2",
                        "Implementar el Plan de Trabajo Anual en Seguridad y Salud en el Trabajo",
                        "Informe del SG-SST con exámenes ocupacionales e inspecciones",
                        "SGE",
                        (1, 12),
                        "35",
                        ("PSST",),
                        (B("RP", R_SERVICIOS_PERSONALES + ".01", 62_000_000, "mid"),),
                    ),
                    A(
                        "A1.1.3",
                        "Desarrollar el programa de bienestar e incentivos institucionales",
                        "Programa de bienestar ejecutado y resolución de incentivos",
                        "SGE",
                        (3, 12),
                        "25",
                        ("PII", "PETH"),
                        (B("RP", R_SERVICIOS_PERSONALES + ".02", 48_000_000, "mid"),),
                    ),
                ),
            ),
            G(
                "M1.2",
                "Fortalecer la cultura de integridad de los servidores públicos",
                "Código de integridad apropiado por el 90 % de los servidores",
                "SGE",
                "20",
                (
                    A(
                        "A1.2.1",
                        "Realizar talleres de apropiación del código de integridad",
                        "6 talleres con listas de asistencia y evaluación",
                        "SGE",
                        (3, 10),
                        "40",
                        ("PTEP",),
                        (B("RP", R_SERVICIOS_PERSONALES + ".03", 8_000_000, "mid"),),
                    ),
                    A(
                        "A1.2.2",
                        "Actualizar y publicar la política de conflicto de intereses",
                        "Política adoptada por resolución y publicada",
                        "SGE",
                        (2, 6),
                        "30",
                        ("PTEP",),
                    ),
                    A(
                        "A1.2.3",
                        "Verificar la publicación de declaraciones de bienes y conflictos de "
                        "interés (Ley 2013 de 2019)",
                        "Reporte de cumplimiento de la Ley 2013 de 2019",
                        "SGE",
                        (4, 7),
                        "30",
                        ("PTEP",),
                    ),
                ),
            ),
            G(
                "M1.3",
                "Implementar el Programa de Gestión Documental",
                "Archivo central organizado y TRD convalidadas",
                "SGE",
                "25",
                (
                    A(
                        "A1.3.1",
                        "Actualizar las Tablas de Retención Documental y radicarlas para "
                        "convalidación",
                        "TRD radicadas ante el Consejo Departamental de Archivos",
                        "SGE",
                        (2, 8),
                        "40",
                        ("PINAR",),
                        (B("RP", R_SERVICIOS_EMPRESAS, 45_000_000, "full"),),
                    ),
                    A(
                        "A1.3.2",
                        "Organizar e inventariar el fondo documental acumulado",
                        "Inventario en FUID de 300 metros lineales",
                        "SGE",
                        (3, 12),
                        "35",
                        ("PINAR",),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".01", 120_000_000, "mid"),),
                    ),
                    A(
                        "A1.3.3",
                        "Adecuar las condiciones ambientales del depósito de archivo central",
                        "Depósito con deshumidificadores y estantería rodante instalados",
                        "SGE",
                        (5, 11),
                        "25",
                        ("PINAR", "PAA"),
                        (
                            B(
                                "RP",
                                R_EQUIPOS,
                                60_000_000,
                                "low",
                                changes=(
                                    BudgetChange(
                                        "addition",
                                        15_000_000,
                                        (5, 20),
                                        "Decreto 087 de 2026",
                                        "Adición de recursos del balance para la estantería "
                                        "rodante del depósito de archivo central",
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            G(
                "M1.4",
                "Actualizar la estructura y los procesos de la administración",
                "Manual de procesos y procedimientos actualizado",
                "SPL",
                "20",
                (
                    A(
                        "A1.4.1",
                        "Actualizar el mapa de procesos y las caracterizaciones",
                        "Mapa de procesos adoptado y 18 caracterizaciones",
                        "SPL",
                        (2, 6),
                        "35",
                        (),
                        (B("RP", R_FORTALECIMIENTO, 30_000_000, "full", True),),
                    ),
                    A(
                        "A1.4.2",
                        "Documentar los procedimientos de los procesos misionales",
                        "40 procedimientos documentados en el sistema de gestión",
                        "SPL",
                        (3, 10),
                        "35",
                        (),
                        (B("RP", R_FORTALECIMIENTO + ".01", 36_000_000, "release", True),),
                    ),
                    A(
                        "A1.4.3",
                        "Actualizar el manual específico de funciones y competencias laborales",
                        "Decreto de adopción del manual de funciones",
                        "SGE",
                        (5, 11),
                        "30",
                        ("PPRH", "PAV"),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".02", 28_000_000, "mid"),),
                    ),
                ),
            ),
        ),
    ),
    ObjectiveSpec(
        "OE2",
        "Garantizar finanzas públicas sanas y una gestión transparente de los recursos",
        "20",
        ("P04", "P08", "P09", "P19"),
        (
            G(
                "M2.1",
                "Incrementar el recaudo de los ingresos tributarios propios",
                "Recaudo de predial e industria y comercio incrementado en 8 %",
                "SHA",
                "30",
                (
                    A(
                        "A2.1.1",
                        "Actualizar la base catastral urbana con el gestor catastral",
                        "Base catastral urbana actualizada y resolución de vigencia",
                        "SHA",
                        (2, 9),
                        "40",
                        (),
                        (
                            B("RP", R_CATASTRO, 180_000_000, "full", True),
                            B("COF", R_CATASTRO, 100_000_000, "mid", True),
                        ),
                    ),
                    A(
                        "A2.1.2",
                        "Adelantar el programa de fiscalización de industria y comercio",
                        "300 contribuyentes fiscalizados y emplazamientos emitidos",
                        "SHA",
                        (3, 11),
                        "35",
                        (),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".03", 55_000_000, "mid"),),
                    ),
                    A(
                        "A2.1.3",
                        "Realizar campañas de cultura tributaria y cobro persuasivo",
                        "4 campañas y 1.200 comunicaciones de cobro persuasivo",
                        "SHA",
                        (2, 12),
                        "25",
                        (),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".04", 32_000_000, "mid"),),
                    ),
                ),
            ),
            G(
                "M2.2",
                "Mejorar la eficiencia del gasto y la planeación contractual",
                "Plan Anual de Adquisiciones ejecutado en el 90 %",
                "SHA",
                "25",
                (
                    A(
                        "A2.2.1",
                        "Publicar y actualizar el Plan Anual de Adquisiciones en SECOP II",
                        "PAA publicado el 31 de enero y actualizado cada trimestre",
                        "SHA",
                        (1, 12),
                        "40",
                        ("PAA",),
                    ),
                    A(
                        "A2.2.2",
                        "Adoptar los documentos tipo de contratación de obra e interventoría",
                        "Documentos tipo adoptados y socializados con los supervisores",
                        "SGE",
                        (3, 7),
                        "30",
                        ("PAA",),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".05", 20_000_000, "full"),),
                    ),
                    A(
                        "A2.2.3",
                        "Hacer seguimiento mensual a la ejecución presupuestal",
                        "12 informes de ejecución presupuestal publicados",
                        "SHA",
                        (1, 12),
                        "30",
                    ),
                ),
            ),
            G(
                "M2.3",
                "Implementar el Programa de Transparencia y Ética Pública",
                "PTEP con cumplimiento superior al 90 %",
                "SPL",
                "25",
                (
                    A(
                        "A2.3.1",
                        "Formular y publicar el PTEP 2026 con el mapa de riesgos de corrupción",
                        "PTEP publicado en la sede electrónica",
                        "SPL",
                        (1, 1),
                        "30",
                        ("PTEP",),
                    ),
                    A(
                        "A2.3.2",
                        "Actualizar la sección «Transparencia y acceso a la información pública» "
                        "de la sede electrónica",
                        "Sección conforme a la Resolución MinTIC 1519 de 2020",
                        "SGE",
                        (2, 6),
                        "35",
                        ("PTEP", "PETI"),
                        (B("RP", R_TIC, 18_000_000, "full", True),),
                    ),
                    A(
                        "A2.3.3",
                        "Publicar los conjuntos de datos abiertos priorizados en datos.gov.co",
                        "8 conjuntos de datos abiertos publicados con sus metadatos",
                        "SPL",
                        (4, 11),
                        "35",
                        ("PTEP", "PETI"),
                        (B("RP", R_TIC + ".01", 10_000_000, "low", True),),
                    ),
                ),
            ),
            G(
                "M2.4",
                "Fortalecer la defensa jurídica del municipio",
                "Política de prevención del daño antijurídico adoptada",
                "SGO",
                "20",
                (
                    A(
                        "A2.4.1",
                        "Formular la política de prevención del daño antijurídico",
                        "Política aprobada por el comité de conciliación",
                        "SGO",
                        (2, 6),
                        "40",
                        (),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".06", 15_000_000, "full"),),
                    ),
                    A(
                        "A2.4.2",
                        "Mantener actualizado el registro de procesos judiciales en eKOGUI",
                        "Registro de procesos judiciales 100 % actualizado",
                        "SGO",
                        (1, 12),
                        "30",
                    ),
                    A(
                        "A2.4.3",
                        "Depurar y publicar el normograma institucional",
                        "Normograma actualizado y publicado",
                        "SGO",
                        (7, 10),
                        "30",
                        (),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".07", 12_000_000, "low"),),
                    ),
                ),
            ),
        ),
    ),
    ObjectiveSpec(
        "OE3",
        "Mejorar el acceso, la permanencia y la calidad de la educación",
        "20",
        ("P03", "P10", "P12"),
        (
            G(
                "M3.1",
                "Garantizar la alimentación escolar a los estudiantes matriculados",
                "4.800 estudiantes beneficiados con el PAE",
                "SED",
                "35",
                (
                    A(
                        "A3.1.1",
                        "Contratar la operación del Programa de Alimentación Escolar (PAE)",
                        "Contrato del operador del PAE suscrito",
                        "SED",
                        (1, 2),
                        "30",
                        ("PAA",),
                        (
                            B("SGP", R_PAE, 1_250_000_000, "full", True),
                            B("PGN", R_PAE, 600_000_000, "full", True),
                        ),
                    ),
                    A(
                        "A3.1.2",
                        "Supervisar la entrega de raciones en las sedes educativas",
                        "Informes mensuales de supervisión en 38 sedes",
                        "SED",
                        (2, 11),
                        "40",
                        (),
                        (B("RP", R_PAE, 95_000_000, "mid", True),),
                    ),
                    A(
                        "A3.1.3",
                        "Conformar y acompañar los comités de alimentación escolar",
                        "Comités de alimentación escolar conformados en 12 instituciones",
                        "SED",
                        (2, 6),
                        "30",
                        (),
                        (B("RP", R_PAE + ".01", 6_000_000, "full", True),),
                    ),
                ),
            ),
            G(
                "M3.2",
                "Asegurar el transporte escolar de los estudiantes rurales",
                "1.100 estudiantes rurales con transporte escolar",
                "SED",
                "25",
                (
                    A(
                        "A3.2.1",
                        "Contratar el servicio de transporte escolar rural",
                        "Contrato de transporte escolar suscrito",
                        "SED",
                        (1, 3),
                        "50",
                        ("PAA",),
                        (B("SGP", R_TRANSPORTE_ESCOLAR, 620_000_000, "full", True),),
                    ),
                    A(
                        "A3.2.2",
                        "Verificar las rutas y las condiciones de seguridad del transporte",
                        "Informe de verificación de 22 rutas",
                        "SED",
                        (3, 11),
                        "30",
                        (),
                        (B("SGP", R_TRANSPORTE_ESCOLAR + ".01", 9_000_000, "mid", True),),
                    ),
                    A(
                        "A3.2.3",
                        "Socializar el protocolo de transporte escolar con las familias",
                        "Actas de socialización en las sedes rurales",
                        "SED",
                        (2, 5),
                        "20",
                        (),
                        (B("RP", R_TRANSPORTE_ESCOLAR, 4_500_000, "full", True),),
                    ),
                ),
            ),
            G(
                "M3.3",
                "Mejorar la infraestructura y la conectividad de las sedes educativas",
                "6 sedes rurales mejoradas y 20 sedes conectadas a internet",
                "SIN",
                "40",
                (
                    A(
                        "A3.3.1",
                        "Ejecutar el mejoramiento de sedes educativas rurales",
                        "Actas de recibo de obra de 6 sedes",
                        "SIN",
                        (3, 12),
                        "50",
                        ("PAA",),
                        (
                            B("SGR", R_INFRA_EDUCATIVA, 2_400_000_000, "mid", True),
                            B("COF", R_INFRA_EDUCATIVA, 800_000_000, "low", True),
                        ),
                    ),
                    A(
                        "A3.3.2",
                        "Contratar la interventoría de las obras de infraestructura educativa",
                        "Informes mensuales de interventoría",
                        "SIN",
                        (3, 12),
                        "20",
                        ("PAA",),
                        (B("SGR", R_INFRA_EDUCATIVA + ".01", 190_000_000, "mid", True),),
                    ),
                    A(
                        "A3.3.3",
                        "Conectar a internet las sedes educativas rurales",
                        "20 sedes conectadas con servicio activo",
                        "SED",
                        (4, 12),
                        "30",
                        ("PETI",),
                        (B("PGN", R_CONECTIVIDAD, 310_000_000, "low", True),),
                    ),
                ),
            ),
        ),
    ),
    ObjectiveSpec(
        "OE4",
        "Mejorar las condiciones de salud y el aseguramiento de la población",
        "20",
        ("P03", "P10", "P12"),
        (
            G(
                "M4.1",
                "Ejecutar el Plan de Intervenciones Colectivas en salud pública",
                "Intervenciones colectivas ejecutadas en las zonas urbana y rural",
                "SSA",
                "40",
                (
                    A(
                        "A4.1.1",
                        "Contratar las intervenciones colectivas con la ESE Hospital San Rafael",
                        "Contrato interadministrativo suscrito con la ESE",
                        "SSA",
                        (1, 3),
                        "30",
                        ("PAA",),
                        (B("SGP", R_SALUD_PUBLICA, 480_000_000, "full", True),),
                    ),
                    A(
                        "A4.1.2",
                        "Realizar jornadas de vacunación casa a casa",
                        "8 jornadas de vacunación con cobertura de al menos 95 %",
                        "SSA",
                        (3, 11),
                        "40",
                        (),
                        (B("SGP", R_SALUD_PUBLICA + ".01", 120_000_000, "mid", True),),
                    ),
                    A(
                        "A4.1.3",
                        "Desarrollar la estrategia de salud mental comunitaria",
                        "Ruta de atención en salud mental socializada en 10 veredas",
                        "SSA",
                        (4, 12),
                        "30",
                        (),
                        (
                            B("SGP", R_SALUD_PUBLICA + ".02", 90_000_000, "low", True),
                            B("COOP", R_SALUD_PUBLICA + ".02", 40_000_000, "none", True),
                        ),
                    ),
                ),
            ),
            G(
                "M4.2",
                "Ampliar la afiliación al régimen subsidiado",
                "Cobertura del aseguramiento en salud del 98 %",
                "SSA",
                "35",
                (
                    A(
                        "A4.2.1",
                        "Depurar la base de datos de afiliados con la ADRES",
                        "Cruces mensuales de la base de datos de afiliados",
                        "SSA",
                        (1, 12),
                        "40",
                        (),
                        (B("RP", R_ASEGURAMIENTO + ".02", 12_000_000, "mid", True),),
                    ),
                    A(
                        "A4.2.2",
                        "Realizar jornadas de afiliación en la zona rural",
                        "12 jornadas de afiliación con planillas",
                        "SSA",
                        (3, 10),
                        "35",
                        (),
                        (B("RP", R_ASEGURAMIENTO, 22_000_000, "mid", True),),
                    ),
                    A(
                        "A4.2.3",
                        "Auditar a las EPS que operan el régimen subsidiado",
                        "Informes trimestrales de auditoría a las EPS",
                        "SSA",
                        (2, 12),
                        "25",
                        (),
                        (B("RP", R_ASEGURAMIENTO + ".01", 75_000_000, "release", True),),
                    ),
                ),
            ),
            G(
                "M4.3",
                "Fortalecer la inspección, vigilancia y control sanitario",
                "600 establecimientos inspeccionados",
                "SSA",
                "25",
                (
                    A(
                        "A4.3.1",
                        "Inspeccionar los establecimientos que comercializan alimentos",
                        "Actas de inspección sanitaria",
                        "SSA",
                        (2, 11),
                        "40",
                        (),
                        (B("SGP", R_IVC, 38_000_000, "mid", True),),
                    ),
                    A(
                        "A4.3.2",
                        "Vigilar la calidad del agua para consumo humano",
                        "Informes mensuales del IRCA",
                        "SSA",
                        (1, 12),
                        "35",
                        (),
                        (B("SGP", R_AGUA, 52_000_000, "mid", True),),
                    ),
                    A(
                        "A4.3.3",
                        "Ejecutar la campaña de control de vectores contra el dengue",
                        "Campaña ejecutada en 14 barrios",
                        "SSA",
                        (5, 9),
                        "25",
                        (),
                        (B("SGP", R_IVC + ".01", 46_000_000, "full", True),),
                    ),
                ),
            ),
        ),
    ),
    ObjectiveSpec(
        "OE5",
        "Transformar digitalmente la administración y acercarla a la ciudadanía",
        "10",
        ("P06", "P07", "P10", "P11", "P12"),
        (
            G(
                "M5.1",
                "Implementar la política de Gobierno Digital",
                "Sede electrónica con 10 trámites en línea",
                "SGE",
                "40",
                (
                    A(
                        "A5.1.1",
                        "Formular y ejecutar el PETI 2026",
                        "PETI aprobado con seguimiento trimestral",
                        "SGE",
                        (1, 12),
                        "30",
                        ("PETI",),
                        (B("RP", R_TIC + ".02", 25_000_000, "mid", True),),
                    ),
                    A(
                        "A5.1.2",
                        "Implementar el plan de seguridad y privacidad de la información",
                        "Políticas adoptadas e inventario de activos de información",
                        "SGE",
                        (3, 11),
                        "35",
                        ("PSPI", "PTRSPI"),
                        (B("RP", R_TIC + ".03", 68_000_000, "mid", True),),
                    ),
                    A(
                        "A5.1.3",
                        "Migrar el correo institucional y las copias de respaldo a la nube",
                        "Servicios migrados y política de respaldo probada",
                        "SGE",
                        (6, 12),
                        "35",
                        ("PETI", "PAA"),
                        (B("RP", R_TIC + ".04", 110_000_000, "low", True),),
                    ),
                ),
            ),
            G(
                "M5.2",
                "Racionalizar los trámites de mayor impacto",
                "5 trámites racionalizados en el SUIT",
                "SPL",
                "30",
                (
                    A(
                        "A5.2.1",
                        "Formular la estrategia de racionalización de trámites en el SUIT",
                        "Estrategia registrada en el SUIT",
                        "SPL",
                        (1, 3),
                        "30",
                        ("PTEP",),
                    ),
                    A(
                        "A5.2.2",
                        "Habilitar el pago en línea del impuesto predial",
                        "Botón de pagos PSE habilitado en la sede electrónica",
                        "SHA",
                        (3, 8),
                        "40",
                        ("PETI",),
                        (B("RP", R_TIC + ".05", 42_000_000, "full", True),),
                    ),
                    A(
                        "A5.2.3",
                        "Digitalizar la expedición del certificado de residencia",
                        "Certificado de residencia disponible en línea",
                        "SGO",
                        (4, 10),
                        "30",
                        ("PETI",),
                        (B("RP", R_TIC + ".06", 18_000_000, "mid", True),),
                    ),
                ),
            ),
            G(
                "M5.3",
                "Promover la participación ciudadana y la rendición de cuentas",
                "Estrategia de rendición de cuentas ejecutada",
                "SPL",
                "30",
                (
                    A(
                        "A5.3.1",
                        "Formular la estrategia de participación ciudadana y rendición de cuentas",
                        "Estrategia aprobada por el comité institucional de gestión",
                        "SPL",
                        (1, 3),
                        "25",
                        ("PTEP",),
                    ),
                    A(
                        "A5.3.2",
                        "Realizar diálogos ciudadanos en las veredas",
                        "6 diálogos ciudadanos con memorias publicadas",
                        "SGO",
                        (4, 10),
                        "35",
                        ("PTEP",),
                        (B("RP", R_PARTICIPACION, 15_000_000, "mid", True),),
                    ),
                    A(
                        "A5.3.3",
                        "Realizar la audiencia pública de rendición de cuentas",
                        "Audiencia realizada e informe publicado",
                        "SPL",
                        (11, 12),
                        "40",
                        ("PTEP",),
                        (B("RP", R_PARTICIPACION + ".01", 30_000_000, "none", True),),
                    ),
                ),
            ),
        ),
    ),
    ObjectiveSpec(
        "OE6",
        "Fortalecer el seguimiento, la evaluación y el control de la gestión",
        "10",
        ("P13", "P15", "P16", "P18"),
        (
            G(
                "M6.1",
                "Hacer seguimiento al Plan de Acción y al Plan de Desarrollo",
                "Informes trimestrales de seguimiento publicados",
                "SPL",
                "35",
                (
                    A(
                        "A6.1.1",
                        "Consolidar los reportes trimestrales del Plan de Acción",
                        "4 informes de seguimiento publicados",
                        "SPL",
                        (1, 12),
                        "40",
                        (),
                        (B("RP", R_FORTALECIMIENTO + ".05", 20_000_000, "mid", True),),
                    ),
                    A(
                        "A6.1.2",
                        "Diligenciar el FURAG de la vigencia 2025",
                        "Certificado de diligenciamiento del FURAG",
                        "SPL",
                        (2, 4),
                        "30",
                    ),
                    A(
                        "A6.1.3",
                        "Actualizar la batería de indicadores y sus hojas de vida",
                        "Hojas de vida de los indicadores actualizadas",
                        "SPL",
                        (2, 5),
                        "30",
                        (),
                        (B("RP", R_FORTALECIMIENTO + ".02", 18_000_000, "full", True),),
                    ),
                ),
            ),
            G(
                "M6.2",
                "Ejecutar el Plan Anual de Auditorías de control interno",
                "Plan Anual de Auditorías ejecutado al 100 %",
                "OCI",
                "40",
                (
                    A(
                        "A6.2.1",
                        "Realizar las auditorías internas a los procesos priorizados",
                        "8 informes de auditoría interna",
                        "OCI",
                        (2, 11),
                        "45",
                        (),
                        (B("RP", R_SERVICIOS_EMPRESAS + ".08", 40_000_000, "mid"),),
                    ),
                    A(
                        "A6.2.2",
                        "Publicar el informe pormenorizado del estado del control interno",
                        "Informes semestrales publicados",
                        "OCI",
                        (1, 12),
                        "25",
                    ),
                    A(
                        "A6.2.3",
                        "Evaluar la gestión por dependencias de la vigencia anterior",
                        "Evaluación por dependencias radicada ante el alcalde",
                        "OCI",
                        (1, 2),
                        "30",
                    ),
                ),
            ),
            G(
                "M6.3",
                "Gestionar el conocimiento y la información estadística municipal",
                "Anuario estadístico y repositorio de buenas prácticas",
                "SPL",
                "25",
                (
                    A(
                        "A6.3.1",
                        "Publicar el anuario estadístico municipal 2025",
                        "Anuario estadístico publicado",
                        "SPL",
                        (3, 8),
                        "40",
                        (),
                        (B("RP", R_FORTALECIMIENTO + ".03", 24_000_000, "full", True),),
                    ),
                    A(
                        "A6.3.2",
                        "Documentar las lecciones aprendidas de los proyectos de inversión",
                        "Repositorio con 10 lecciones aprendidas",
                        "SPL",
                        (6, 11),
                        "30",
                    ),
                    A(
                        "A6.3.3",
                        "Realizar el encuentro municipal de innovación pública",
                        "Encuentro realizado con 5 iniciativas presentadas",
                        "SPL",
                        (9, 11),
                        "30",
                        (),
                        (B("RP", R_FORTALECIMIENTO + ".04", 12_000_000, "low", True),),
                    ),
                ),
            ),
        ),
    ),
]

# --- Reporting periods ----------------------------------------------------------------

# (label, start (month, day), end (month, day), locked); due 10 days after the end.
PERIODS = [
    ("T1 2026", (1, 1), (3, 31), True),
    ("T2 2026", (4, 1), (6, 30), True),
    ("T3 2026", (7, 1), (9, 30), False),
    ("T4 2026", (10, 1), (12, 31), False),
]
DUE_DAYS_AFTER_END = 10

# --- Accountability -------------------------------------------------------------------

# A published report of a past quarter, generated by the same code as any report.
PUBLISHED_REPORT = {
    "title": "Seguimiento al Plan de Acción 2026 — primer trimestre",
    "kind": "action_plan",
    "periods": ["T1 2026"],
}

# --- Programación (planned cumulative progress per period) -------------------------------

# Actions whose planner set a programación of their own (planned % at the end of T1–T4);
# every other action is planned by the default spread over its dates. The plan tree, the
# goal and action pages, the API roll-up and the action list show planned vs executed.
SCHEDULES = {
    "A1.1.1": ("10", "40", "75", "100"),  # the PIC is front-loaded: training in T2–T3
    "A1.1.2": ("20", "45", "70", "100"),
    "A1.2.1": ("0", "30", "80", "100"),
    "A1.2.2": ("30", "100", "100", "100"),  # a resolution due by June
}

# --- Product quantities ---------------------------------------------------------------

# Actions whose progress comes from a product quantity (target, unit): their reports give
# the cumulative quantity delivered and the progress is computed from it
# (planning.models.quantity_progress), e.g. 9 of 12 jornadas → 75,00 %.
QUANTITY_TARGETS = {
    "A1.1.1": ("12", "jornadas de capacitación"),
    "A1.2.1": ("6", "talleres"),
}

# --- Budget execution -----------------------------------------------------------------

# Execution patterns: (stage, cumulative fraction of the appropriation after the entry,
# (month, day), description). A lower cumulative fraction than before is a release.
EXECUTION_PROFILES = {
    "full": [
        ("cdp", "1.00", (2, 12), "Certificado de disponibilidad presupuestal"),
        ("commitment", "0.95", (3, 6), "Registro presupuestal del contrato"),
        ("obligation", "0.60", (6, 26), "Obligación del primer pago parcial"),
        ("payment", "0.55", (7, 8), "Comprobante de egreso del primer pago"),
        ("obligation", "0.85", (9, 11), "Obligación del segundo pago parcial"),
        ("payment", "0.75", (9, 24), "Comprobante de egreso del segundo pago"),
    ],
    "mid": [
        ("cdp", "0.80", (3, 2), "Certificado de disponibilidad presupuestal"),
        ("commitment", "0.70", (4, 7), "Registro presupuestal del contrato"),
        ("obligation", "0.35", (7, 30), "Obligación del anticipo"),
        ("payment", "0.30", (8, 19), "Comprobante de egreso del anticipo"),
    ],
    "low": [
        ("cdp", "0.50", (6, 2), "Certificado de disponibilidad presupuestal"),
        ("commitment", "0.30", (7, 16), "Registro presupuestal del contrato"),
        ("obligation", "0.10", (9, 10), "Obligación del anticipo"),
    ],
    "release": [
        ("cdp", "1.00", (2, 20), "Certificado de disponibilidad presupuestal"),
        ("commitment", "0.85", (3, 17), "Registro presupuestal del contrato"),
        ("cdp", "0.88", (6, 16), "Liberación del saldo no comprometido del CDP"),
        ("obligation", "0.50", (7, 22), "Obligación del primer pago parcial"),
        ("payment", "0.45", (8, 5), "Comprobante de egreso del primer pago"),
    ],
    "none": [],
}
DOCUMENT_PREFIX = {"cdp": "CDP", "commitment": "RP", "obligation": "OB", "payment": "CE"}

# --- Progress -------------------------------------------------------------------------

# How each action performs against its schedule (cycled over the actions, in order):
# progress = elapsed share of the action's dates × factor, capped at 100.
PERFORMANCE_FACTORS = ["1.00", "0.85", "1.10", "0.60", "0.95", "0.75", "1.00", "0.40"]

# Status of the T3 report (the open period), cycled over the actions; None: not reported.
# Earlier (locked) periods are all approved.
T3_STATUSES = [
    "approved",
    "submitted",
    "approved",
    "returned",
    "draft",
    "approved",
    "submitted",
    None,
    "approved",
    "draft",
]

RETURN_COMMENTS = [
    "La evidencia cargada no soporta el porcentaje reportado. Adjunte las actas o "
    "listas de asistencia del trimestre y ajuste el avance.",
    "El avance acumulado no coincide con el informe del supervisor del contrato. "
    "Revise la cifra y explique la diferencia en la descripción.",
    "Falta el registro fotográfico y el informe de actividades. Complete la evidencia "
    "antes de volver a enviar.",
]
APPROVAL_COMMENT = "Aprobado. Para el próximo periodo adjunte también el registro fotográfico."

# --- Indicators -----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator's hoja de vida.

    `measures` is a goal or objective code. `measurements` maps a period label to
    (value, numerator, denominator, status); a value of None is computed as
    numerator / denominator × 100.
    """

    code: str
    name: str
    measures: str
    type: str
    level: str
    accumulation: str
    polarity: str
    frequency: str
    measurement_unit: str
    formula: str
    baseline: tuple  # (value, (year, month, day))
    targets: dict
    measurements: dict
    unit: str
    numerator: str = ""
    denominator: str = ""
    data_source: str = ""
    semaforo: tuple = (None, None)  # (red below, green from); None: entity default
    notes: str = ""


DEC31 = (2025, 12, 31)

INDICATORS = [
    IndicatorSpec(
        "IND-01",
        "Porcentaje de ejecución del Plan Institucional de Capacitación",
        "M1.1",
        "efficacy",
        "process",
        "cumulative",
        "increasing",
        "quarterly",
        "%",
        "(Capacitaciones ejecutadas / Capacitaciones programadas en el PIC) × 100",
        ("78", DEC31),
        {"T1 2026": "20", "T2 2026": "45", "T3 2026": "75", "T4 2026": "100"},
        {
            "T1 2026": (None, "3", "12", "approved"),
            "T2 2026": (None, "5", "12", "approved"),
            "T3 2026": (None, "8", "12", "submitted"),
        },
        "SGE",
        numerator="Capacitaciones ejecutadas",
        denominator="Capacitaciones programadas en el PIC",
        data_source="Listas de asistencia y cronograma del PIC",
    ),
    IndicatorSpec(
        "IND-02",
        "Metros lineales de archivo organizados e inventariados",
        "M1.3",
        "efficacy",
        "product",
        "flow",
        "increasing",
        "quarterly",
        "Metros lineales",
        "Suma de metros lineales inventariados en FUID en el periodo",
        ("0", DEC31),
        {"T1 2026": "50", "T2 2026": "80", "T3 2026": "90", "T4 2026": "80"},
        {
            "T1 2026": ("45", None, None, "approved"),
            "T2 2026": ("85", None, None, "approved"),
            "T3 2026": ("70", None, None, "returned"),
        },
        "SGE",
        data_source="Formato Único de Inventario Documental (FUID)",
    ),
    IndicatorSpec(
        "IND-03",
        "Recaudo acumulado del impuesto predial unificado",
        "M2.1",
        "efficacy",
        "result",
        "cumulative",
        "increasing",
        "quarterly",
        "Millones de pesos",
        "Suma del recaudo de predial desde el 1 de enero",
        ("4850", DEC31),
        {"T1 2026": "2100", "T2 2026": "3600", "T3 2026": "4400", "T4 2026": "5240"},
        {
            "T1 2026": ("2230", None, None, "approved"),
            "T2 2026": ("3510", None, None, "approved"),
            "T3 2026": ("4180", None, None, "approved"),
        },
        "SHA",
        data_source="Sistema de información tributaria – boletín de caja",
    ),
    IndicatorSpec(
        "IND-04",
        "Porcentaje de ejecución del Plan Anual de Adquisiciones",
        "M2.2",
        "efficiency",
        "process",
        "cumulative",
        "increasing",
        "quarterly",
        "%",
        "(Procesos contratados / Procesos programados en el PAA) × 100",
        ("84", DEC31),
        {"T1 2026": "25", "T2 2026": "50", "T3 2026": "75", "T4 2026": "90"},
        {
            "T1 2026": (None, "11", "48", "approved"),
            "T2 2026": (None, "23", "48", "approved"),
            "T3 2026": (None, "33", "48", "draft"),
        },
        "SHA",
        numerator="Procesos de contratación adjudicados",
        denominator="Procesos programados en el PAA",
        data_source="SECOP II",
    ),
    IndicatorSpec(
        "IND-05",
        "Porcentaje de solicitudes de acceso a la información respondidas en término",
        "M2.3",
        "effectiveness",
        "result",
        "capacity",
        "maintenance",
        "quarterly",
        "%",
        "(Solicitudes respondidas en término / Solicitudes recibidas) × 100",
        ("91", DEC31),
        {"T1 2026": "95", "T2 2026": "95", "T3 2026": "95", "T4 2026": "95"},
        {
            "T1 2026": (None, "148", "159", "approved"),
            "T2 2026": (None, "187", "194", "approved"),
            "T3 2026": (None, "163", "173", "approved"),
        },
        "SPL",
        numerator="Solicitudes respondidas dentro del término legal",
        denominator="Solicitudes de acceso a la información recibidas",
        data_source="Sistema de gestión de PQRSD",
        semaforo=("85", "95"),
        notes="Umbrales más exigentes que los de la entidad por ser un deber legal.",
    ),
    IndicatorSpec(
        "IND-06",
        "Estudiantes beneficiados con alimentación escolar",
        "M3.1",
        "efficacy",
        "product",
        "stock",
        "increasing",
        "quarterly",
        "Estudiantes",
        "Número de estudiantes con ración diaria al cierre del periodo",
        ("4520", DEC31),
        {"T1 2026": "4800", "T2 2026": "4800", "T3 2026": "4800", "T4 2026": "4800"},
        {
            "T1 2026": ("4610", None, None, "approved"),
            "T2 2026": ("4785", None, None, "approved"),
            "T3 2026": ("4802", None, None, "approved"),
        },
        "SED",
        data_source="SIMAT y reportes del operador del PAE",
    ),
    IndicatorSpec(
        "IND-07",
        "Tasa de deserción escolar intraanual",
        "M3.2",
        "effectiveness",
        "result",
        "stock",
        "decreasing",
        "semiannual",
        "%",
        "(Estudiantes desertores / Matrícula inicial) × 100",
        ("4.1", DEC31),
        {"T2 2026": "3.6", "T4 2026": "3.2"},
        {"T2 2026": (None, "182", "4790", "approved")},
        "SED",
        numerator="Estudiantes que abandonaron el sistema",
        denominator="Matrícula inicial",
        data_source="SIMAT",
    ),
    IndicatorSpec(
        "IND-08",
        "Sedes educativas rurales conectadas a internet en la vigencia",
        "M3.3",
        "efficacy",
        "product",
        "cumulative",
        "increasing",
        "quarterly",
        "Sedes",
        "Número acumulado de sedes conectadas desde el 1 de enero",
        ("6", DEC31),
        {"T2 2026": "5", "T3 2026": "12", "T4 2026": "20"},
        {
            "T2 2026": ("3", None, None, "approved"),
            "T3 2026": ("9", None, None, "submitted"),
        },
        "SED",
        data_source="Actas de instalación del operador de conectividad",
        notes="Sin meta en el primer trimestre: la conexión empieza en abril.",
    ),
    IndicatorSpec(
        "IND-09",
        "Cobertura de vacunación con triple viral en niños de un año",
        "M4.1",
        "effectiveness",
        "result",
        "stock",
        "increasing",
        "quarterly",
        "%",
        "(Niños de un año vacunados / Niños de un año) × 100",
        ("89.5", DEC31),
        {"T1 2026": "92", "T2 2026": "93", "T3 2026": "94", "T4 2026": "95"},
        {
            "T1 2026": (None, "236", "260", "approved"),
            "T2 2026": (None, "241", "260", "approved"),
            "T3 2026": (None, "243", "260", "draft"),
        },
        "SSA",
        numerator="Niños de un año con triple viral",
        denominator="Población de un año (proyección DANE)",
        data_source="PAIWEB",
    ),
    IndicatorSpec(
        "IND-10",
        "Tasa de mortalidad infantil en menores de un año",
        "OE4",
        "effectiveness",
        "impact",
        "annual_reduction",  # each year against the previous year's rate (LB the first year)
        "decreasing",
        "annual",
        "Por 1.000 nacidos vivos",
        "(Defunciones de menores de un año / Nacidos vivos) × 1.000",
        ("11.8", (2024, 12, 31)),
        {"T4 2026": "10.5"},
        {},
        "SSA",
        numerator="Defunciones de menores de un año",
        denominator="Nacidos vivos",
        data_source="DANE – Estadísticas vitales",
        notes="El dato oficial se publica con rezago; se mide al cierre de la vigencia.",
    ),
    IndicatorSpec(
        "IND-11",
        "Índice de riesgo de la calidad del agua (IRCA) en la zona urbana",
        "M4.3",
        "effectiveness",
        "result",
        "reduction",
        "decreasing",
        "quarterly",
        "%",
        "Promedio del IRCA de las muestras del periodo",
        ("8.2", DEC31),
        {"T1 2026": "7", "T2 2026": "6", "T3 2026": "5", "T4 2026": "5"},
        {
            "T1 2026": ("6.5", None, None, "approved"),
            "T2 2026": ("5.8", None, None, "approved"),
            "T3 2026": ("5.1", None, None, "approved"),
        },
        "SSA",
        data_source="SIVICAP – Instituto Nacional de Salud",
    ),
    IndicatorSpec(
        "IND-12",
        "Trámites racionalizados registrados en el SUIT",
        "M5.2",
        "efficacy",
        "product",
        "flow",
        "increasing",
        "quarterly",
        "Trámites",
        "Número de trámites con acción de racionalización terminada en el periodo",
        ("0", DEC31),
        {"T1 2026": "1", "T2 2026": "1", "T3 2026": "2", "T4 2026": "1"},
        {
            "T1 2026": ("1", None, None, "approved"),
            "T2 2026": ("0", None, None, "approved"),
            "T3 2026": ("2", None, None, "returned"),
        },
        "SPL",
        data_source="SUIT – Función Pública",
    ),
    IndicatorSpec(
        "IND-13",
        "Disponibilidad de los servicios tecnológicos institucionales",
        "M5.1",
        "efficiency",
        "process",
        "capacity",
        "maintenance",
        "quarterly",
        "%",
        "(Horas de servicio disponible / Horas del periodo) × 100",
        ("98.5", DEC31),
        {"T1 2026": "99", "T2 2026": "99", "T3 2026": "99", "T4 2026": "99"},
        {
            "T1 2026": ("99.2", None, None, "approved"),
            "T2 2026": ("97.9", None, None, "approved"),
            "T3 2026": ("99.4", None, None, "submitted"),
        },
        "SGE",
        data_source="Herramienta de monitoreo de la mesa de ayuda",
    ),
    IndicatorSpec(
        "IND-14",
        "Índice de Desempeño Institucional (FURAG)",
        "OE6",
        "effectiveness",
        "impact",
        "stock",
        "increasing",
        "annual",
        "Puntos",
        "Puntaje del IDI publicado por Función Pública",
        ("68.4", (2025, 5, 31)),
        {"T2 2026": "71"},
        {"T2 2026": ("70.3", None, None, "approved")},
        "SPL",
        data_source="Función Pública – resultados FURAG",
        notes="Los resultados del FURAG se publican en el segundo trimestre.",
    ),
    IndicatorSpec(
        "IND-15",
        "Porcentaje de ejecución del Plan Anual de Auditorías",
        "M6.2",
        "efficacy",
        "process",
        "cumulative",
        "increasing",
        "quarterly",
        "%",
        "(Auditorías realizadas / Auditorías programadas) × 100",
        ("100", DEC31),
        {"T1 2026": "25", "T2 2026": "50", "T3 2026": "75", "T4 2026": "100"},
        {
            "T1 2026": (None, "2", "8", "approved"),
            "T2 2026": (None, "3", "8", "approved"),
            "T3 2026": (None, "5", "8", "draft"),
        },
        "OCI",
        numerator="Auditorías con informe final",
        denominator="Auditorías del plan anual",
        data_source="Plan Anual de Auditorías",
    ),
    IndicatorSpec(
        "IND-16",
        "Gastos de funcionamiento como porcentaje de los ingresos corrientes de libre destinación",
        "OE2",
        "efficiency",
        "input",
        "stock",
        "decreasing",
        "semiannual",
        "%",
        "(Gastos de funcionamiento / ICLD) × 100",
        ("71.2", DEC31),
        {"T2 2026": "70", "T4 2026": "68"},
        {"T2 2026": (None, "5212", "7510", "approved")},
        "SHA",
        numerator="Gastos de funcionamiento comprometidos",
        denominator="Ingresos corrientes de libre destinación recaudados",
        data_source="Ejecución presupuestal (CHIP – CUIPO)",
        notes="Límite legal de la Ley 617 de 2000 para municipios de sexta categoría: 80 %.",
    ),
]

# --- Control interno ratings (first semester) -----------------------------------------

# (action code, rating, comment)
RATINGS = [
    (
        "A3.1.1",
        "satisfactory",
        "El contrato del PAE se suscribió antes del inicio del calendario escolar y el "
        "expediente contiene todas las evidencias.",
    ),
    (
        "A1.3.1",
        "partial",
        "Las TRD se radicaron, pero faltan las actas del comité institucional que las aprobó.",
    ),
    (
        "A4.2.2",
        "unsatisfactory",
        "El avance reportado no coincide con las planillas de afiliación revisadas en la "
        "auditoría de junio.",
    ),
]
