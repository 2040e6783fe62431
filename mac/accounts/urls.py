from django.urls import path

from mac.accounts.views import SignInView, sign_out

app_name = "accounts"

urlpatterns = [
    path("personal/entrar/", SignInView.as_view(), name="sign_in"),
    path("personal/salir/", sign_out, name="sign_out"),
]
