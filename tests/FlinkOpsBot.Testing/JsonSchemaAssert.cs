using System.Collections.Concurrent;
using Newtonsoft.Json.Schema;
using Xunit;

namespace FlinkOpsBot.Testing;

/// <summary>
/// Validates JSON documents against plain JSON Schema files (draft 4 to 2020-12), such as the Slack app manifest
/// schema and the Adaptive Card 1.5 schema in <see cref="RepoPaths.Specs"/>.
/// </summary>
/// <remarks>
/// Nothing is fetched from the network: a <c>$ref</c> to another document is served from the file of the same name
/// in the schema's folder, and fails to resolve when there is none. Parsed schemas are cached per file, so only
/// validations count against Json.NET Schema's free quota (1000 per hour per process).
/// </remarks>
public static class JsonSchemaAssert
{
    private static readonly ConcurrentDictionary<string, JSchema> Schemas = new(StringComparer.Ordinal);

    /// <summary>
    /// Fails the test, listing every error, unless <paramref name="json"/> is valid against <paramref name="schemaFile"/>.
    /// <paramref name="substitutes"/> serves a referenced document (by file name) from another file, for a referenced
    /// schema that is not on this machine; say in the substitute why it stands in.
    /// </summary>
    public static void Valid(string schemaFile, string json, IReadOnlyDictionary<string, string>? substitutes = null)
    {
        var errors = Errors(schemaFile, json, substitutes);
        if (errors.Count > 0)
        {
            Assert.Fail($"JSON does not match {Path.GetFileName(schemaFile)}:\n  {string.Join("\n  ", errors)}\nJSON: {json}");
        }
    }

    /// <summary>The validation errors of <paramref name="json"/> against <paramref name="schemaFile"/>, one line each (<c>json path: message</c>).</summary>
    public static IReadOnlyList<string> Errors(string schemaFile, string json, IReadOnlyDictionary<string, string>? substitutes = null)
    {
        var path = Path.GetFullPath(schemaFile);
        var key = substitutes is null ? path : path + "|" + string.Join("|", substitutes.OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value));
        return SchemaErrors.Of(JsonBody.Parse(json), Schemas.GetOrAdd(key, _ => Load(path, substitutes)));
    }

    private static JSchema Load(string path, IReadOnlyDictionary<string, string>? substitutes)
    {
        using var reader = File.OpenText(path);
        return JSchema.Load(new Newtonsoft.Json.JsonTextReader(reader), new SiblingFileResolver(Path.GetDirectoryName(path)!, substitutes));
    }

    /// <summary>Resolves references to other documents by file name: a substitute if one is named, else from the schema's folder.</summary>
    private sealed class SiblingFileResolver(string folder, IReadOnlyDictionary<string, string>? substitutes) : JSchemaResolver
    {
        public override Stream? GetSchemaResource(ResolveSchemaContext context, SchemaReference reference)
        {
            if (reference.BaseUri is null) return null;
            var name = Path.GetFileName(reference.BaseUri.AbsolutePath);
            var file = substitutes?.GetValueOrDefault(name) ?? Path.Combine(folder, name);
            return File.Exists(file) ? File.OpenRead(file) : null;
        }
    }
}
