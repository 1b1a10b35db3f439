"""python manage.py add_staff USERNAME --library CODE [--library CODE ...] [--regional] [--email E]

Makes a user staff of libraries (catalog.access decides who is staff: a StaffMember's libraries,
or everything for regional staff). A missing user is created without a usable password: the
command says how to set one (`manage.py changepassword USERNAME`); no password is ever taken on
the command line. Libraries are added to what an existing user has, never taken away (that is
done in the admin, on the user's page). Last line: "added staff USERNAME ..." or "updated ...".
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from catalog.models import Library, StaffMember
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = (
        "Make a user staff of one or more libraries (created without a password if missing), "
        "or regional staff with --regional."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--library",
            action="append",
            default=[],
            dest="libraries",
            metavar="CODE",
            help="Sigel of a library they work for (case-sensitive); repeat for more.",
        )
        parser.add_argument(
            "--regional",
            action="store_true",
            help="Regional library staff: they act for every library and confirm mass deletions.",
        )
        parser.add_argument("--email", default="", help="The user's e-mail address (stored on the user).")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"].strip()
        if not username:
            raise CommandError("the username must not be empty")
        codes = list(dict.fromkeys(code.strip() for code in options["libraries"]))
        if not codes and not options["regional"]:
            raise CommandError("name at least one --library CODE (or --regional for every library)")
        libraries = self._libraries(codes)
        email = options["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(f"--email {email!r}: {' '.join(exc.messages)}") from exc
        users = get_user_model()
        changes: list[str] = []
        with transaction.atomic():
            user = users.objects.filter(username=username).first()
            created = user is None
            if user is None:
                user = users(username=username, email=email)
                try:
                    user.full_clean(exclude=["password"])
                except ValidationError as exc:
                    raise CommandError(
                        "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                    ) from exc
                user.set_unusable_password()
                user.save()
            elif email and user.email != email:
                user.email = email
                user.save(update_fields=["email"])
                changes.append("e-mail address")
            member, _ = StaffMember.objects.get_or_create(user=user)
            before = set(member.libraries.values_list("code", flat=True))
            member.libraries.add(*libraries)
            changes += [f"library {library.code}" for library in libraries if library.code not in before]
            if options["regional"] and not member.regional:
                member.regional = True
                member.save(update_fields=["regional"])
                changes.append("regional")
        if not user.has_usable_password():
            self.stdout.write(
                f"{username} has no password yet: set one with `python manage.py changepassword {username}`"
            )
        self.stdout.write(self._summary(username, member, created, changes))

    def _libraries(self, codes: list[str]) -> list[Library]:
        found = {library.code: library for library in Library.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(
                f"unknown library code(s): {', '.join(unknown)} (codes are case-sensitive; "
                "add a library with add_library)"
            )
        return [found[code] for code in codes]

    def _summary(self, username: str, member: StaffMember, created: bool, changes: list[str]) -> str:
        codes = sorted(member.libraries.values_list("code", flat=True))
        noun = "library" if len(codes) == 1 else "libraries"
        works_for = f"{noun} {', '.join(codes)}" if codes else "no library of their own"
        role = f"regional staff (every library; {works_for})" if member.regional else works_for
        if created:
            return f"added staff {username}: {role}"
        if not changes:
            return f"staff {username} unchanged: {role}"
        return f"updated staff {username} (added {', '.join(changes)}): {role}"
