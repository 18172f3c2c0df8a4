from django.urls import path

from archive import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("digits/", views.set_digits, name="set_digits"),
]
