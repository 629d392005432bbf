"""Reading pages as a browser does: the forms it would submit, the links it would follow, and
anything in the markup that would run a script."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# Inputs a browser sends with their `value` (buttons only when clicked, files never here).
TEXT_INPUTS = {
    "",
    "text",
    "hidden",
    "search",
    "date",
    "time",
    "datetime-local",
    "number",
    "email",
    "url",
    "tel",
    "password",
}


@dataclass
class Form:
    method: str
    action: str  # as written in the page; "" posts back to the page itself
    fields: list[tuple[str, str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every control, sent or not

    def target(self, page_url: str) -> str:
        return urljoin(page_url, self.action) if self.action else page_url

    def route(self, page_url: str) -> str | None:
        """The URL pattern name the form submits to."""
        try:
            match = resolve(urlsplit(self.target(page_url)).path)
        except Resolver404:
            return None
        return match.view_name

    def data(self, overrides: dict | None = None, *, token: bool = True) -> dict:
        """What the browser submits untouched, with some fields changed (a value of None
        removes the field), with or without the CSRF token."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in (overrides or {}).items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value if isinstance(value, list) else [value]
        if not token:
            data.pop("csrfmiddlewaretoken", None)
        return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []  # every href, src and form action
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list[str], list[str]] | None = None
        self._textarea: list[str] | None = None
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attrs))
        for name in ("href", "src", "action", "formaction"):
            if name in attrs:
                self.links.append(attrs[name])
        if tag == "script":
            self._script = [] if "src" not in attrs else None
        if tag == "form":
            self._form = Form(
                method=attrs.get("method", "get").lower(), action=attrs.get("action", "")
            )
            self.forms.append(self._form)
            return
        if self._form is None or "name" not in attrs or "disabled" in attrs:
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        name = attrs["name"]
        if tag == "input":
            self._form.names.add(name)
            kind = attrs.get("type", "").lower()
            if kind in TEXT_INPUTS:
                self._form.fields.append((name, attrs.get("value", "")))
            elif kind in {"checkbox", "radio"} and "checked" in attrs:
                self._form.fields.append((name, attrs.get("value", "on")))
        elif tag == "select":
            self._form.names.add(name)
            self._select = (name, "multiple" in attrs, [], [])
        elif tag == "textarea":
            self._form.names.add(name)
            self._textarea = [name]
        elif tag == "button":
            self._form.names.add(name)

    def _option(self, attrs):
        _name, _multiple, options, selected = self._select
        options.append(attrs.get("value", ""))
        if "selected" in attrs:
            selected.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options, selected = self._select
            # A single select sends its selected option, or the first one.
            chosen = selected if multiple else (selected[-1:] or options[:1])
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, *text = self._textarea
            # The parser drops the newline that may follow <textarea>, as browsers do.
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None
        elif tag == "form":
            self._form = None


@dataclass
class Page:
    url: str
    forms: list[Form]
    links: list[str]
    tags: list[tuple[str, dict]]
    inline_scripts: list[str]

    def post_forms(self) -> list[Form]:
        return [form for form in self.forms if form.method == "post"]

    def form_to(self, route: str) -> Form:
        """The page's POST form that submits to `route`."""
        forms = [form for form in self.post_forms() if form.route(self.url) == route]
        assert forms, f"{self.url} has no form that posts to {route}"
        return forms[0]

    def script_hooks(self) -> list[str]:
        """What in the markup would run a script: inline <script> elements, event-handler
        attributes and javascript: links."""
        found = [f"<script>{text[:60]}</script>" for text in self.inline_scripts]
        for tag, attrs in self.tags:
            for name, value in attrs.items():
                is_link = name in {"href", "src", "action", "formaction", "xlink:href"}
                runs = value.strip().lower().startswith("javascript:")
                if name.startswith("on") or (is_link and runs):
                    found.append(f"<{tag} {name}={value[:60]}>")
        return found


def read_page(response, url: str) -> Page:
    parser = _Parser()
    parser.feed(response.content.decode(response.charset or "utf-8"))
    parser.close()
    return Page(
        url=url,
        forms=parser.forms,
        links=parser.links,
        tags=parser.tags,
        inline_scripts=parser.inline_scripts,
    )


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")
