from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mac.accounts"
    label = "accounts"
    verbose_name = "Cuentas"
