"""`send` renders the kind's texts at once, in the language asked for, and logs
one queued message per channel."""

from __future__ import annotations

import pytest

from mac.notify.actions import send
from mac.notify.models import Message


@pytest.mark.django_db
class TestSendRenders:
    def test_it_renders_spanish_email_and_sms(self, confirmed):
        # when
        email, sms = send(
            "appointment_confirmed",
            email="ana@example.pe",
            phone="+51987654321",
            language="es",
            context=confirmed,
            ref="appointments.booking:42",
        )

        # then
        assert email.channel == Message.Channel.EMAIL
        assert email.recipient == "ana@example.pe"
        assert email.subject == "Tu cita LN-7K3Q está confirmada"
        assert email.body.startswith(
            "Hola:\n\nTu cita en el Centro MAC Lima Norte está confirmada. ¡Te esperamos!\n\n"
            "Código de cita: LN-7K3Q\n"
            "Trámite: Duplicado de DNI (RENIEC)\n"
            "Fecha y hora: lunes 7 de diciembre de 2026, 09:30\n"
            "Lugar: Centro MAC Lima Norte, Av. Alfredo Mendiola 1400, Independencia\n\n"
            "Llega unos minutos antes y trae tu documento de identidad (DNI ****5678) "
            "y los requisitos del trámite.\n\n"
            "Si no puedes venir, cambia o anula tu cita aquí: https://mac.gob.pe/citas/LN-7K3Q/\n"
        )
        assert sms.channel == Message.Channel.SMS
        assert sms.recipient == "+51987654321"
        assert sms.subject == ""
        assert sms.body == (
            "MAC: tu cita LN-7K3Q está confirmada: lunes 7 de diciembre de 2026, 09:30, "
            "Centro MAC Lima Norte. Cambiar o anular: https://mac.gob.pe/citas/LN-7K3Q/"
        )

    def test_it_renders_quechua(self, confirmed):
        # when
        email, sms = send(
            "appointment_confirmed",
            email="ana@example.pe",
            phone="987654321",
            language="qu",
            context=confirmed,
        )

        # then
        assert email.language == sms.language == "qu"
        assert email.subject == "LN-7K3Q citayki takyachisqañam"
        assert email.body.startswith(
            "Napaykullayki:\n\nCentro MAC Lima Norte-pi citayki takyachisqañam. ¡Suyasaykiku!\n\n"
            "Citaq códigon: LN-7K3Q\n"
        )
        assert "Pisi minutokunata ñawpaqta chayamuy." in email.body
        assert sms.body == (
            "MAC: LN-7K3Q citayki takyachisqañam: lunes 7 de diciembre de 2026, 09:30, "
            "Centro MAC Lima Norte. Tikranapaq utaq anulanapaq: https://mac.gob.pe/citas/LN-7K3Q/"
        )

    def test_it_stores_queued_messages_with_the_ref(self, confirmed):
        # when
        sent = send(
            "appointment_confirmed",
            email="ana@example.pe",
            phone="+51987654321",
            context=confirmed,
            ref="appointments.booking:42",
        )

        # then
        stored = list(Message.objects.about("appointments.booking:42").order_by("id"))
        assert stored == sent
        assert [(m.kind, m.channel, m.status, m.attempts) for m in stored] == [
            ("appointment_confirmed", "email", "queued", 0),
            ("appointment_confirmed", "sms", "queued", 0),
        ]

    def test_it_does_not_escape_html_characters(self, confirmed):
        # given
        confirmed["service"] = 'Constancia de "no adeudo" & <otros>'

        # when
        (email,) = send("appointment_confirmed", email="ana@example.pe", context=confirmed)

        # then
        assert 'Trámite: Constancia de "no adeudo" & <otros> (RENIEC)\n' in email.body
