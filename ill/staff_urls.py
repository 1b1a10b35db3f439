from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from ill import partner_views, staff_views, transport_views

app_name = "ill_staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", RedirectView.as_view(pattern_name="ill_staff:incoming"), name="index"),
    path("incoming/", staff_views.incoming, name="incoming"),
    path("outgoing/", staff_views.outgoing, name="outgoing"),
    path("picklist/", staff_views.picklist, name="picklist"),
    path("statistics/", staff_views.statistics_page, name="statistics"),
    path("rules/", staff_views.lending_rules, name="rules"),
    path("transport/", transport_views.timetable, name="transport"),
    path("transport/route/new/", transport_views.route_edit, name="route_new"),
    path("transport/route/<int:pk>/", transport_views.route_edit, name="route_edit"),
    path("transport/hub/new/", transport_views.hub_edit, name="hub_new"),
    path("transport/hub/<int:pk>/", transport_views.hub_edit, name="hub_edit"),
    path("transport/closures/", transport_views.closures, name="closures"),
    path("transport/closures/<int:pk>/delete/", transport_views.closure_delete, name="closure_delete"),
    path("<int:pk>/", staff_views.detail, name="detail"),
    path("<int:pk>/act/", staff_views.act, name="act"),
    path("<int:pk>/label/", staff_views.label, name="label"),
    path("<int:pk>/iso18626.xml", staff_views.iso18626_export, name="iso18626"),
    path("<int:pk>/partner/", partner_views.ask_partner, name="ask_partner"),
    path("<int:pk>/partner/withdraw/", partner_views.withdraw_from_partner, name="withdraw_partner"),
    path("<int:pk>/libris/", partner_views.record_libris, name="libris"),
    path("partners/", partner_views.partner_list, name="partners"),
    path("partners/<int:pk>/", partner_views.partner_list, name="partner"),
]
