"""Identity documents: DNI, RUC, Carné de Extranjería, passport, CPP."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mac.core.documents import Document, DocumentType, is_valid_document, validate_document

# The CUI check character: weights 3,2,7,6,5,4,3,2 over the 8 digits, sum mod
# 11 indexes "65432110987" (digit form) or "KJIHGFEDCBA" (letter form). Written
# out here rather than borrowed from the code under test.
_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def check_chars(dni: str) -> tuple[str, str]:
    index = sum(w * int(d) for w, d in zip(_WEIGHTS, dni, strict=True)) % 11
    return "65432110987"[index], "KJIHGFEDCBA"[index]


def error_code(doc_type: str, number: str) -> str | None:
    try:
        validate_document(doc_type, number)
    except ValidationError as exc:
        return exc.code
    return None


class TestValidateDocument:
    def test_it_accepts_a_dni_without_check_character(self):
        assert validate_document("dni", "10117410") == Document(DocumentType.DNI, "10117410")

    def test_it_accepts_a_dni_with_its_check_digit_and_drops_it(self):
        # 10117410: 3+0+7+6+35+16+3+0 = 70, 70 % 11 = 4 -> "2" or "G"
        assert check_chars("10117410") == ("2", "G")
        assert validate_document("dni", "10117410-2").number == "10117410"

    @pytest.mark.parametrize("number", ["10117410G", "10117410g", "10117410 - G"])
    def test_it_accepts_a_dni_with_its_check_letter(self, number):
        assert validate_document("dni", number).number == "10117410"

    @pytest.mark.parametrize("number", ["101174103", "10117410H", "10117410Z"])
    def test_it_refuses_a_wrong_check_character(self, number):
        assert error_code("dni", number) == "dni_check"

    @pytest.mark.parametrize(
        "case, number",
        [
            ("7 digits", "1011741"),
            ("10 digits", "1011741023"),
            ("letter inside", "1011741O"),
            ("arabic-indic digits", "١٠١١٧٤١٠"),
            ("superscript check", "10117410²"),
        ],
    )
    def test_it_refuses_a_dni_that_is_not_8_digits(self, case, number):
        assert error_code("dni", number) == "dni", case

    def test_it_refuses_nine_digits_whose_last_is_not_the_check_digit(self):
        # A 9-digit number is read as a DNI plus check digit.
        assert error_code("dni", "101174109") == "dni_check"

    @pytest.mark.parametrize("number", [" 10 117 410 ", "10-117-410", "10.117.410"])
    def test_it_normalises_spaces_dashes_and_dots(self, number):
        assert validate_document("dni", number).number == "10117410"

    def test_it_accepts_a_valid_ruc(self):
        # 2013131295?: 5*2+4*0+3*1+2*3+7*1+6*3+5*1+4*2+3*9+2*5 = 94, 94 % 11 = 6,
        # 11 - 6 = 5 -> check digit 5.
        assert validate_document("ruc", "20131312955") == Document(DocumentType.RUC, "20131312955")

    def test_it_accepts_the_ruc_of_a_person_from_their_dni(self):
        assert validate_document("ruc", "10-10117410-2").number == "10101174102"

    @pytest.mark.parametrize(
        "case, number",
        [
            ("wrong check digit", "20131312954"),
            ("10 digits", "2013131295"),
            ("unknown prefix", "30131312955"),
            ("letters", "2013131295A"),
        ],
    )
    def test_it_refuses_an_invalid_ruc(self, case, number):
        assert error_code("ruc", number) == "ruc", case

    @pytest.mark.parametrize(
        "doc_type, number, normalised",
        [
            ("ce", "001234567", "001234567"),
            ("ce", "ab-1234567", "AB1234567"),
            ("passport", "PE1234", "PE1234"),
            ("passport", "X12345678901234", "X12345678901234"),
            ("cpp", "CPP12345", "CPP12345"),
        ],
    )
    def test_it_accepts_alphanumeric_documents_within_their_lengths(
        self, doc_type, number, normalised
    ):
        assert validate_document(doc_type, number).number == normalised

    @pytest.mark.parametrize(
        "case, doc_type, number",
        [
            ("CE too short", "ce", "1234567"),
            ("CE too long", "ce", "1234567890123"),
            ("passport too short", "passport", "PE123"),
            ("passport too long", "passport", "X123456789012345"),
            ("CPP with a symbol", "cpp", "CPP1234#5"),
            ("CE with an accented letter", "ce", "ÁB1234567"),
        ],
    )
    def test_it_refuses_alphanumeric_documents_out_of_shape(self, case, doc_type, number):
        assert error_code(doc_type, number) == "alnum", case

    def test_it_refuses_an_unknown_type(self):
        assert error_code("licencia", "Q12345678") == "doc_type"

    @pytest.mark.parametrize("number", ["", "  ", " - "])
    def test_it_asks_for_a_number(self, number):
        assert error_code("dni", number) == "required"

    def test_it_answers_yes_or_no_with_is_valid_document(self):
        assert is_valid_document("dni", "10117410") is True
        assert is_valid_document("dni", "1011741") is False

    def test_it_masks_all_but_the_last_three_characters(self):
        assert Document(DocumentType.DNI, "10117410").masked() == "•••••410"

    @given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.booleans())
    def test_it_accepts_every_dni_with_its_computed_check_character(self, dni, letter):
        digit, alpha = check_chars(dni)

        result = validate_document("dni", dni + (alpha if letter else digit))

        assert result == Document(DocumentType.DNI, dni)

    @given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.sampled_from("0123456789ABCDEFGHIJK"))
    def test_it_refuses_every_other_check_character(self, dni, char):
        if char in check_chars(dni):
            return
        assert error_code("dni", dni + char) == "dni_check"

    @given(st.sampled_from([t.value for t in DocumentType]), st.text(max_size=30))
    def test_it_only_ever_raises_validation_errors(self, doc_type, number):
        try:
            doc = validate_document(doc_type, number)
        except ValidationError:
            return
        assert doc.number.isascii() and doc.number.isalnum()
