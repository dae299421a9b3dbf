using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Schema;

namespace FlinkOpsBot.Testing;

/// <summary>Runs one Json.NET Schema validation and lists its innermost errors, one line each.</summary>
internal static class SchemaErrors
{
    public static IReadOnlyList<string> Of(JToken body, JSchema schema)
    {
        body.IsValid(schema, out IList<ValidationError> errors);
        return errors.SelectMany(Leaves).Distinct().ToList();
    }

    // A "$ref" or "allOf" error only says that an inner schema failed; the inner errors say which and why.
    private static IEnumerable<string> Leaves(ValidationError error) =>
        error.ChildErrors.Count == 0
            ? [$"{(error.Path.Length == 0 ? "$" : error.Path)}: {error.Message}"]
            : error.ChildErrors.SelectMany(Leaves);
}

/// <summary>Parses response bodies exactly as sent: no date conversion of strings, no float rounding.</summary>
internal static class JsonBody
{
    public static JToken Parse(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        return JToken.ReadFrom(reader);
    }
}
