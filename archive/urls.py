from django.urls import path

from archive import citation_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/cite.ris", citation_views.cite_ris, name="article_cite_ris"),
    path("articles/<int:pk>/cite.bib", citation_views.cite_bib, name="article_cite_bib"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("digits/", views.set_digits, name="set_digits"),
]
