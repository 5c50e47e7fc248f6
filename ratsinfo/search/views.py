"""Alert (subscription) pages and the Atom feed per search. Thin: the rules are in alerts.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.csrf import csrf_exempt

from ratsinfo.lib.access import PUBLIC
from ratsinfo.search import alerts
from ratsinfo.search.forms import SearchForm
from ratsinfo.search.service import Filters, Hit, search


class AlertForm(forms.Form):
    email = forms.EmailField(label="E-Mail-Adresse", max_length=254)
    q = forms.CharField(label="Suche", max_length=200)


def alert_subscribe(request: HttpRequest) -> HttpResponse:
    form = AlertForm(request.POST or None, initial={"q": SearchForm(request.GET).query})
    if request.method == "POST" and form.is_valid():
        try:
            alerts.subscribe(form.cleaned_data["email"], form.cleaned_data["q"], request.build_absolute_uri("/"))
        except alerts.AlertError as exc:
            form.add_error("q", str(exc))
        else:
            return render(request, "search/alert_message.html", {"message": "sent"})
    return render(request, "search/alert_form.html", {"form": form})


def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    if alerts.confirm(token) is None:
        raise Http404("Unbekannter Suchauftrag")
    return render(request, "search/alert_message.html", {"message": "confirmed"})


@csrf_exempt  # one-click unsubscribe (RFC 8058) is a POST from the mail client, without a session
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        done = alerts.unsubscribe(token)
        return render(request, "search/alert_message.html", {"message": "unsubscribed" if done else "unknown"})
    return render(request, "search/alert_unsubscribe.html", {"token": token})


class SearchFeed(Feed):
    """Newest public matches of a search as Atom (never anything non-public: no login in feeds)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        query = SearchForm(request.GET).query
        if not query:
            raise Http404("Suchbegriff fehlt")
        return query

    def title(self, obj: str) -> str:
        return f"Ratsinformationssystem: Suche „{obj}“"

    def link(self, obj: str) -> str:
        from urllib.parse import urlencode

        return f"/suche/?{urlencode({'q': obj})}"

    def description(self, obj: str) -> str:
        return f"Neueste öffentliche Treffer zu „{obj}“"

    def items(self, obj: str) -> list[Hit]:
        return search(PUBLIC, obj, Filters(by_date=True), per_page=30, facets=False).hits

    def item_title(self, item: Hit) -> str:
        return f"{item.kind_label}: {item.title}"

    def item_description(self, item: Hit) -> str:
        return str(item.snippet)

    def item_link(self, item: Hit) -> str:
        return item.url

    def item_guid(self, item: Hit) -> str:
        return f"{item.kind}-{item.id}"
