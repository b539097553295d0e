from django.urls import path

from mipg.core.api import token_views

urlpatterns = [
    path("", token_views.token_list, name="api-tokens"),
    path("<int:pk>/revocar/", token_views.token_revoke, name="api-token-revoke"),
]
