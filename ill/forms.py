"""The patron's request form: only the fields the request needs (see the privacy notice)."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.mapping.formats import FORMATS
from catalog.models import Library
from ill.models import CardCheck, IsoPartner, LendingRule, LibrisEscalation


class PickupLibraryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RequestForm(forms.Form):
    # Shown only when the title is not in the catalogue (no record chosen).
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    author = forms.CharField(label=_("Author"), max_length=300, required=False)
    year = forms.CharField(label=_("Year"), max_length=20, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=40, required=False)

    patron_name = forms.CharField(label=_("Your name"), max_length=200)
    pickup_library = PickupLibraryField(
        label=_("Pick up at library"),
        queryset=Library.objects.filter(accepts_ill_pickup=True),
        empty_label=_("Choose a library"),
    )
    card_number = forms.CharField(
        label=_("Library card number"), max_length=40, help_text=_("The number on your library card.")
    )
    # Passed to the home library's system for the card check and never stored (ill.cardcheck).
    pin = forms.CharField(
        label=_("PIN"),
        max_length=40,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("The PIN of your library card, if your library asks for it."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        validators=[
            RegexValidator(
                r"^[0-9 +()-]*[0-9][0-9 +()-]*$",
                _("Write the phone number with digits; spaces, +, - and parentheses are allowed."),
                code="phone",
            )
        ],
    )
    needed_before = forms.DateField(
        label=_("Needed before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if there is no hurry."),
    )
    any_edition = forms.BooleanField(label=_("Any edition is fine"), required=False)
    message = forms.CharField(
        label=_("Message to the library"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Honeypot: hidden from people (and assistive technology); bots tend to fill every field. The view
    # answers a filled one like a success and stores nothing, so a bot learns nothing from it.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # Set after we told the patron their own library has a copy and they still want fjärrlån.
    own_copy_ack = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, needs_title: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_title = needs_title
        self.fields["title"].required = needs_title

    def filled_honeypot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_card_number(self) -> str:
        return re.sub(r"\s+", "", self.cleaned_data["card_number"])

    def clean_needed_before(self) -> date | None:
        value: date | None = self.cleaned_data.get("needed_before")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The date has already passed."), code="past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error(
                "email", forms.ValidationError(_("Give an e-mail address or a phone number."), code="contact")
            )
        library: Library | None = data.get("pickup_library")
        card = data.get("card_number")
        if (
            library
            and card
            and library.card_number_pattern
            and not re.fullmatch(library.card_number_pattern, card)
        ):
            self.add_error(
                "card_number",
                forms.ValidationError(
                    _("This is not a library card number of %(library)s. Check the number on your card."),
                    code="card",
                    params={"library": library.name},
                ),
            )
        if (
            library
            and not data.get("pin")
            and CardCheck.objects.filter(library=library, enabled=True, requires_pin=True).exists()
        ):
            self.add_error(
                "pin",
                forms.ValidationError(
                    _("%(library)s asks for the PIN of your library card."),
                    code="pin",
                    params={"library": library.name},
                ),
            )
        return data


FORMAT_LABELS = {
    "book": _("book"),
    "ebook": _("e-book"),
    "audiobook": _("audiobook"),
    "talking_book": _("talking book (DAISY)"),
    "large_print": _("large print"),
    "music": _("music"),
    "film": _("film"),
    "game": _("game"),
    "map": _("map"),
    "serial": _("serial"),
    "other": _("other"),
}


class LendingRuleForm(forms.ModelForm):
    """A library's own rules for what it does not lend to other libraries."""

    formats_not_lent = forms.MultipleChoiceField(
        label=_("Formats we do not lend"),
        choices=[(code, FORMAT_LABELS.get(code, code)) for code in FORMATS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = LendingRule
        fields = ["formats_not_lent", "newer_than_months"]


class IsoPartnerForm(forms.ModelForm):
    """A library outside the county, with its ISO 18626 endpoint and agency id."""

    endpoint_url = forms.URLField(label=_("ISO 18626 endpoint"), max_length=500, assume_scheme="https")

    class Meta:
        model = IsoPartner
        fields = ["name", "agency_id", "endpoint_url", "networks", "active", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "networks": forms.Textarea(attrs={"rows": 2})}


class LibrisEscalationForm(forms.ModelForm):
    """The LIBRIS fjärrlån request number the borrowing library got, and what came of it."""

    class Meta:
        model = LibrisEscalation
        fields = ["libris_number", "outcome"]
