from django.http import HttpResponse


def network(request):
    return HttpResponse(status=501)
