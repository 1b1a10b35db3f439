"""Forms for the transport timetable's staff pages: routes with their stops, hubs, closures."""

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ill.models import WEEKDAYS, RouteStop, TransportClosure, TransportHub, TransportRoute


class RouteForm(forms.ModelForm):
    class Meta:
        model = TransportRoute
        fields = ["number", "name", "hub", "cutoff"]
        widgets = {"cutoff": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class RouteStopForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("visit days"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RouteStop
        fields = ["library", "weekdays"]


StopFormSet = inlineformset_factory(TransportRoute, RouteStop, form=RouteStopForm, extra=2, can_delete=True)


class HubForm(forms.ModelForm):
    class Meta:
        model = TransportHub
        fields = ["name", "resort_days"]


class ClosureForm(forms.ModelForm):
    class Meta:
        model = TransportClosure
        fields = ["first_day", "last_day", "note"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise forms.ValidationError(_("The last day comes before the first."))
        return data
