using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>
/// Reads fields out of CMF's JSON by dotted path (<c>status.jobStatus.jobId</c>), tolerating absent fields, nulls and
/// numbers sent as strings (the operator's epoch-millisecond times are strings in <c>jobStatus</c>).
/// </summary>
internal static class CmfJson
{
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(part, out node)) return null;
        }
        return node;
    }

    public static string? Str(JsonNode? node, string path) => At(node, path) switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Long(JsonNode? node, string path) =>
        Str(node, path) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static int? Int(JsonNode? node, string path) =>
        Long(node, path) is { } n && n is >= int.MinValue and <= int.MaxValue ? (int)n : null;

    public static bool? Bool(JsonNode? node, string path) => Str(node, path) is { } text && bool.TryParse(text, out var b) ? b : null;

    /// <summary>An epoch-millisecond time (number or string) or an RFC 3339 timestamp, as UTC; null when absent, zero or unreadable.</summary>
    public static DateTimeOffset? Time(JsonNode? node, string path)
    {
        if (Str(node, path) is not { } text) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    /// <summary>The object at <paramref name="path"/>, created (with every missing parent) when absent.</summary>
    public static JsonObject Obj(JsonObject root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.'))
        {
            if (node[part] is not JsonObject child)
            {
                child = [];
                node[part] = child;
            }
            node = child;
        }
        return node;
    }

    public static IEnumerable<string> Strings(JsonNode? node, string path) =>
        At(node, path) is JsonArray array
            ? array.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>())
            : [];
}
