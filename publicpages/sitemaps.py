from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from members.models import Cluster

from . import selectors


class ForumSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return selectors.forums_for_sitemap()

    def location(self, item):
        return reverse("public:forum", args=[item.cluster.slug, item.pk])

    def lastmod(self, item):
        return item.updated_at


class ListSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["overview", *Cluster.objects.order_by("slug").values_list("slug", flat=True)]

    def location(self, item):
        if item == "overview":
            return reverse("public:overview")
        return reverse("public:cluster", args=[item])


SITEMAPS = {"lists": ListSitemap, "forums": ForumSitemap}
