using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Schema;
using Xunit;

namespace FlinkOpsBot.Testing;

/// <summary>
/// Validates JSON bodies against the response schemas of an OpenAPI 3.0 document (such as
/// <c>specs/flink/rest_v1_dispatcher.flink-1.20.yml</c>): the schema at
/// <c>paths[path][method].responses[status].content['application/json'].schema</c>, with
/// <c>#/components/schemas/...</c> references resolved inside the same document.
/// </summary>
/// <remarks>
/// OpenAPI 3.0 schemas are JSON Schema with a few differences; before validation <c>nullable: true</c> becomes
/// "or null" (a <c>"null"</c> type, enum value or <c>anyOf</c> branch). <c>discriminator</c> is not enforced: an object
/// is validated against the schema that is named, not against the subtype its discriminator names.
/// Where a spec is known to be wrong about the wire, pass <see cref="SpecPatch"/>es with the reason; they are
/// listed in every failure message, so no exception is silent. Json.NET Schema's free tier allows 1000
/// validations per hour per process; documents and compiled schemas are cached so that only validations count.
/// </remarks>
public sealed class OpenApiSchemaValidator
{
    private static readonly ConcurrentDictionary<string, JObject> Documents = new(StringComparer.Ordinal);

    private readonly JObject _document;
    private readonly ConcurrentDictionary<(string Path, string Method, int Status), JSchema> _schemas = new();

    private OpenApiSchemaValidator(string specFile, JObject document, IReadOnlyList<SpecPatch> patches)
    {
        SpecFile = specFile;
        _document = document;
        Patches = patches;
    }

    /// <summary>The OpenAPI file this validator reads.</summary>
    public string SpecFile { get; }

    /// <summary>The corrections applied to the document before validation.</summary>
    public IReadOnlyList<SpecPatch> Patches { get; }

    /// <summary>
    /// Loads the OpenAPI 3.0 YAML (or JSON) document at <paramref name="specFile"/> and applies
    /// <paramref name="patches"/> in order. The parsed file is cached per path; each call gets its own patched copy.
    /// </summary>
    /// <exception cref="ArgumentException">A patch points at nothing in the document.</exception>
    public static OpenApiSchemaValidator Load(string specFile, params SpecPatch[] patches)
    {
        var fullPath = Path.GetFullPath(specFile);
        var document = (JObject)Documents.GetOrAdd(fullPath, static path => YamlJson.Load(path)).DeepClone();
        foreach (var patch in patches) patch.ApplyTo(document);
        OpenApi30.ConvertNullable(document);
        return new OpenApiSchemaValidator(fullPath, document, patches);
    }

    /// <summary>
    /// Validates <paramref name="json"/> as the <paramref name="status"/> response of
    /// <paramref name="method"/> <paramref name="path"/>; <paramref name="path"/> is the spec's path key, e.g.
    /// <c>/jobs/{jobid}</c>. Returns one line per error (<c>json path: message</c>); empty when valid.
    /// </summary>
    /// <exception cref="ArgumentException">The document has no JSON schema for that response.</exception>
    public IReadOnlyList<string> Validate(string path, string method, int status, string json)
    {
        var schema = _schemas.GetOrAdd((path, method.ToLowerInvariant(), status), CompileResponseSchema);
        return SchemaErrors.Of(JsonBody.Parse(json), schema);
    }

    /// <summary>
    /// Fails the test, listing every error and the spec patches in force, unless <paramref name="json"/> is a valid
    /// <paramref name="status"/> response of <paramref name="method"/> <paramref name="path"/>.
    /// </summary>
    public void AssertValid(string path, string method, int status, string json)
    {
        var errors = Validate(path, method, status, json);
        if (errors.Count == 0) return;
        var patches = Patches.Count == 0
            ? ""
            : "\nPatched before validation:\n" + string.Join("\n", Patches.Select(p => $"  {p.Pointer}: {p.Reason}"));
        Assert.Fail(
            $"{method.ToUpperInvariant()} {path} {status} does not match {Path.GetFileName(SpecFile)}:\n  "
            + string.Join("\n  ", errors) + patches + "\nBody: " + json);
    }

    private JSchema CompileResponseSchema((string Path, string Method, int Status) key)
    {
        var schema = _document.SelectToken(
            $"paths['{key.Path}']['{key.Method}'].responses['{key.Status}'].content['application/json'].schema");
        if (schema is not JObject schemaObject)
        {
            throw new ArgumentException(
                $"{Path.GetFileName(SpecFile)} has no application/json schema for {key.Method.ToUpperInvariant()} {key.Path} {key.Status}.");
        }

        // The response schema becomes the root of a document that also carries the components, so that its
        // "#/components/schemas/..." references resolve as they do in the OpenAPI document.
        var root = (JObject)schemaObject.DeepClone();
        root["components"] = _document["components"]?.DeepClone();
        return JSchema.Parse(root.ToString());
    }
}

/// <summary>
/// A correction of an OpenAPI document where it is known to be wrong about the wire: the JSON at
/// <paramref name="Pointer"/> (a JSON Pointer, RFC 6901, into the document; <c>~1</c> stands for <c>/</c>) is
/// replaced by <paramref name="Json"/>, which may use OpenAPI's <c>nullable</c>. <paramref name="Reason"/> says why
/// and is printed with every failure.
/// </summary>
public sealed record SpecPatch(string Pointer, string Json, string Reason)
{
    internal void ApplyTo(JObject document)
    {
        var segments = Pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
        if (segments.Length == 0) throw new ArgumentException($"Patch pointer '{Pointer}' names the whole document.");
        JToken? parent = document;
        foreach (var segment in segments[..^1]) parent = parent?[segment];
        if (parent is not JObject container || container[segments[^1]] is null)
        {
            throw new ArgumentException($"Patch pointer '{Pointer}' points at nothing in the document.");
        }
        container[segments[^1]] = JToken.Parse(Json);
    }
}

/// <summary>The OpenAPI 3.0 keywords that JSON Schema spells differently.</summary>
internal static class OpenApi30
{
    /// <summary>Rewrites every schema with <c>nullable: true</c> so that it also accepts <c>null</c>.</summary>
    public static void ConvertNullable(JToken token)
    {
        switch (token)
        {
            case JObject schema:
                foreach (var property in schema.Properties().ToList()) ConvertNullable(property.Value);
                if (schema.Property("nullable") is { } nullable)
                {
                    nullable.Remove();
                    if (nullable.Value.Type == JTokenType.Boolean && nullable.Value.Value<bool>()) AllowNull(schema);
                }
                break;
            case JArray array:
                foreach (var item in array) ConvertNullable(item);
                break;
        }
    }

    private static void AllowNull(JObject schema)
    {
        if (schema["enum"] is JArray values) values.Add(JValue.CreateNull());
        if (schema["type"] is JValue { Type: JTokenType.String } type)
        {
            schema["type"] = new JArray(type, "null");
            return;
        }

        // A $ref, allOf, oneOf or anyOf schema without a type: "this, or null".
        var inner = new JObject(schema.Properties());
        schema.RemoveAll();
        schema["anyOf"] = new JArray(inner, new JObject { ["type"] = "null" });
    }
}
