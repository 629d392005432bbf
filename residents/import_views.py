from django.http import HttpResponse


def household_import(request):
    return HttpResponse(status=501)


def household_import_confirm(request):
    return HttpResponse(status=501)
