from django.urls import path

from search import api, export, feeds, person_views, reading, views

urlpatterns = [
    path("articles/<int:pk>/", reading.article_detail, name="article_detail"),
    path("search/", views.search_page, name="search"),
    path("search/compare/", views.compare_page, name="search_compare"),
    path("search/terms/", views.terms_page, name="search_terms"),
    path("search/export.csv", export.export_csv, name="search_export_csv"),
    path("search/export.json", export.export_json, name="search_export_json"),
    path("search/feed.atom", feeds.search_feed, name="search_feed"),
    path("api/search/", api.search_api, name="api_search"),
    path("api/timeline/", api.timeline_api, name="api_timeline"),
    path("api/terms/", api.terms_api, name="api_terms"),
    path("people/", person_views.person_list, name="person_list"),
    path("people/<slug:slug>/", person_views.person_detail, name="person_detail"),
]
