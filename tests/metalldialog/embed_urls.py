"""A URL conf for the test of `embeddable`: the app's URLs plus one embeddable page."""

from django.http import HttpResponse
from django.urls import path

from core.embedding import embeddable
from metalldialog.urls import urlpatterns as app_urlpatterns


@embeddable
def upcoming_forums_widget(request):
    return HttpResponse("<!DOCTYPE html><title>Foren</title><p>Metall-Forum</p>")


urlpatterns = [path("embed/forums/", upcoming_forums_widget), *app_urlpatterns]
