"""The app's URLs plus one view that fails, for the error reporting tests."""

from django.urls import path

from metalldialog.urls import urlpatterns as app_urlpatterns


def fails(request):
    first_name = request.POST.get("first_name", "")  # a local variable that names a person
    raise RuntimeError(f"Anmeldung von {request.POST.get('email')} ({first_name}) fehlgeschlagen")


urlpatterns = [path("fails/", fails), *app_urlpatterns]
