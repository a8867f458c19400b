"""A Django REST framework view whose errors are RFC 9457 problem details.

Only the tests route to it (drf_urls.py, through @pytest.mark.urls), so the project's OpenAPI
schema, which lists every DRF view in nexus/urls.py, stays the messaging API's alone.
"""

from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api_demo.problems import problem_exception_handler


class TransferSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1)
    currency = serializers.ChoiceField(choices=["ETB", "KES", "NGN", "USD"])
    recipient = serializers.CharField(max_length=100)


# --8<-- [start:view]
class TransferPreview(APIView):
    """POST a transfer to see its fee; every error comes back as application/problem+json."""

    versioning_class = None  # not under /api/v1/: no version in this URL
    throttle_classes = []

    def get_exception_handler(self):
        # One view opts in; REST_FRAMEWORK["EXCEPTION_HANDLER"] would switch the whole API.
        return problem_exception_handler

    def post(self, request):
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fee = max(serializer.validated_data["amount"] // 100, 1)  # 1 %, at least one cent
        return Response({**serializer.validated_data, "fee": fee}, status=status.HTTP_200_OK)
# --8<-- [end:view]
