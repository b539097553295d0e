"""The resources of the API (/api/v1/<resource>/), as the issue lists them."""

RESOURCES = [
    "units",
    "dimensions",
    "policies",
    "institutional-plans",
    "plans",
    "objectives",
    "goals",
    "actions",
    "periods",
    "indicators",
    "targets",
    "measurements",
    "progress-reports",
    "funding-sources",
    "budget-allocations",
    "budget-executions",
    "budget-modifications",
    "accountability-reports",
    "citizen-questions",
]
