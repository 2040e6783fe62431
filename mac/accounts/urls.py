from django.urls import path

from mac.accounts.views import SignInView

app_name = "accounts"

urlpatterns = [
    path("personal/entrar/", SignInView.as_view(), name="sign_in"),
]
