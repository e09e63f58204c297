export type JsonObject = { [key: string]: unknown };

export type OpenApiDocument = JsonObject & {
  openapi: string;
  info: JsonObject;
  paths: Record<string, Record<string, JsonObject>>;
  components: JsonObject & { schemas: Record<string, JsonObject> };
};
