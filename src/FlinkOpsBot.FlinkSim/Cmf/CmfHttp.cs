using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>Responses, request bodies, paging and timestamps the way CMF's REST API writes and reads them.</summary>
internal static class CmfHttp
{
    /// <summary>The <c>apiVersion</c> of every CMF resource.</summary>
    public const string ApiVersion = "cmf.confluent.io/v1";

    /// <summary>Spring Data's default page size, which CMF (a Spring Boot service) uses when <c>size</c> is not sent.</summary>
    public const int DefaultPageSize = 20;

    // Only what JSON requires is escaped ("don't", not "don\u0027t"), as Jackson writes it.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON body with <paramref name="statusCode"/>.</summary>
    public static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(body.ToJsonString(Compact), "application/json", Encoding.UTF8, statusCode);

    /// <summary>A K8s-style CMF resource: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>, <c>status</c>.</summary>
    public static JsonObject Resource(string kind, JsonObject metadata, JsonObject spec, JsonObject status) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = kind,
        ["metadata"] = metadata,
        ["spec"] = spec.DeepClone(),
        ["status"] = status,
    };

    /// <summary>
    /// A resource's <c>metadata</c>: what the client posted (labels, annotations) and what CMF sets: <c>name</c>,
    /// <c>uid</c>, <c>creationTimestamp</c> and, when given, <c>updateTimestamp</c>.
    /// </summary>
    public static JsonObject Metadata(JsonObject? posted, string name, string uid, DateTimeOffset created, DateTimeOffset? updated)
    {
        var metadata = posted is null ? [] : (JsonObject)posted.DeepClone();
        metadata["name"] = name;
        metadata["uid"] = uid;
        metadata["creationTimestamp"] = Timestamp(created);
        if (updated is { } at) metadata["updateTimestamp"] = Timestamp(at);
        return metadata;
    }

    /// <summary>CMF's <c>RestError</c>: <c>{"errors":[{"message":…}]}</c>.</summary>
    public static IResult Error(int statusCode, string message) =>
        Json(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message }) }, statusCode);

    /// <summary>An answer without a body (PUT of a statement, DELETE).</summary>
    public static IResult Empty(int statusCode) => Results.StatusCode(statusCode);

    /// <summary>An RFC 3339 UTC timestamp with milliseconds, as CMF writes <c>creationTimestamp</c>, e.g. <c>2025-03-31T11:34:01.503Z</c>.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Epoch milliseconds as a string, as the Flink Kubernetes operator writes job timestamps.</summary>
    public static string EpochMillis(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a JSON object body; the error is a 400 when it is empty or not a JSON object. YAML bodies
    /// are not simulated.
    /// </summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return (null, Error(StatusCodes.Status400BadRequest, "The request body is empty; send the resource as JSON."));
        try
        {
            return JsonNode.Parse(text) is JsonObject body
                ? (body, null)
                : (null, Error(StatusCodes.Status400BadRequest, "The request body must be a JSON object."));
        }
        catch (JsonException exception)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {exception.Message}"));
        }
    }

    /// <summary>
    /// One page of <paramref name="items"/> by the <c>page</c> (zero-based) and <c>size</c> query parameters, as
    /// <c>{"pageable":{page,size,sort},"metadata":{"size":total},"items":[…]}</c>, after the <c>filter</c> parameter
    /// (<see cref="CmfFilter"/>; <paramref name="stateField"/> names what <c>state</c>/<c>phase</c> filters on:
    /// <c>status.jobStatus.state</c> or <c>status.phase</c>); a 400 when a parameter is out of range or unsupported.
    /// </summary>
    public static IResult Page(HttpRequest request, IReadOnlyList<JsonNode> items, string? stateField = null)
    {
        if (!TryQueryInt(request, "page", 0, 0, out var page, out var error)) return error!;
        if (!TryQueryInt(request, "size", DefaultPageSize, 1, out var size, out error)) return error!;
        if (CmfFilter.Parse(request.Query["filter"].FirstOrDefault(), stateField, out var unsupported) is not { } filter)
        {
            return Error(StatusCodes.Status400BadRequest, unsupported!);
        }
        items = items
            .Where(item => filter(
                String(item, "metadata.name") ?? String(item, "name") ?? "",
                String(item, "status.jobStatus.state") ?? String(item, "status.phase")))
            .ToList();
        var sorted = request.Query["sort"].Count > 0;
        var slice = new JsonArray(items.Skip((int)Math.Min(int.MaxValue, (long)page * size)).Take(size).Select(item => item.DeepClone()).ToArray());
        return Json(new JsonObject
        {
            ["pageable"] = new JsonObject
            {
                ["page"] = page,
                ["size"] = size,
                ["sort"] = new JsonObject { ["sorted"] = sorted, ["unsorted"] = !sorted, ["empty"] = !sorted },
            },
            ["metadata"] = new JsonObject { ["size"] = items.Count },
            ["items"] = slice,
        });
    }

    /// <summary>Whether the query flag <paramref name="name"/> is <c>true</c> (e.g. <c>force=true</c>).</summary>
    public static bool QueryFlag(HttpRequest request, string name) =>
        string.Equals(request.Query[name].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The string at <paramref name="path"/> (dot-separated) in <paramref name="node"/>, or <c>null</c>.</summary>
    public static string? String(JsonNode? node, string path)
    {
        var value = At(node, path);
        return value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : value?.ToJsonString();
    }

    /// <summary>
    /// The string value of key <paramref name="key"/> (which may contain dots, e.g. <c>state.savepoints.dir</c>) of the
    /// map at <paramref name="mapPath"/> (e.g. <c>flinkConfiguration</c>), or <c>null</c>.
    /// </summary>
    public static string? MapValue(JsonNode? node, string mapPath, string key) =>
        At(node, mapPath) is JsonObject map && map[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The integer at <paramref name="path"/>, or <c>null</c> (also for a number written as a string).</summary>
    public static int? Int(JsonNode? node, string path) => At(node, path) switch
    {
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text)
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The boolean at <paramref name="path"/>, or <c>null</c> (also for <c>"true"</c>/<c>"false"</c>).</summary>
    public static bool? Bool(JsonNode? node, string path) => At(node, path) switch
    {
        JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
        JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>The node at <paramref name="path"/> (dot-separated object keys; empty for the node itself), or <c>null</c>.</summary>
    public static JsonNode? At(JsonNode? node, string path)
    {
        if (path.Length == 0) return node;
        foreach (var key in path.Split('.'))
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(key, out var child) ? child : null;
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The object at <paramref name="key"/> of <paramref name="parent"/>, created when missing or not an object.</summary>
    public static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing) return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    private static bool TryQueryInt(HttpRequest request, string name, int fallback, int minimum, out int value, out IResult? error)
    {
        error = null;
        value = fallback;
        if (request.Query[name].FirstOrDefault() is not { } text) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= minimum) return true;
        error = Error(StatusCodes.Status400BadRequest, $"Query parameter '{name}' must be an integer of at least {minimum} (got '{text}').");
        return false;
    }
}
