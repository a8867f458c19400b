"""The messaging REST API (Django REST framework), the example of docs/technologies/drf/.

/api/v1/conversations/                          list (page numbers), create
/api/v1/conversations/{id}/                     read, update, delete
/api/v1/conversations/{conversation_pk}/messages/       list (cursor), create
/api/v1/conversations/{conversation_pk}/messages/{id}/  read, edit, delete (sender only)
/api/v1/auth/token/, token/refresh/, token/blacklist/   JWT obtain, rotate, log out
/api/schema/, /api/schema/swagger-ui/                   OpenAPI 3 schema and Swagger UI
"""
