from django.urls import URLPattern, URLResolver, path

from catalog import staff_views

app_name = "catalog_staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff_views.cluster_list, name="clusters"),
    path("clusters/<int:pk>/", staff_views.cluster_detail, name="cluster"),
    path("clusters/<int:pk>/split/", staff_views.split, name="split"),
    path("clusters/<int:pk>/merge/", staff_views.merge, name="merge"),
    path("overrides/<int:pk>/remove/", staff_views.remove_override, name="remove_override"),
]
