using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Flink.Rest;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>
/// The wire layer of the CMF client: JSON in and out as <see cref="JsonNode"/>s (CMF's <c>spec</c>/<c>status</c> are open
/// schemas that grow with operator versions, so they are kept as round-trip blobs and only the fields the bot reads are
/// picked out), any 2xx is success (CMF 2.0–2.3 answer 200, 201, 202 or 204 for the same operation), 404 is a value,
/// every other answer a <see cref="CmfApiException"/>. Paths are relative to <c>/cmf/api/v1/</c>.
/// </summary>
internal sealed class CmfClient(HttpClient http, string clusterName)
{
    /// <summary>The page size asked for when listing (the Confluent CLI's default).</summary>
    internal const int PageSize = 100;

    /// <summary>A bound on pages read from one list, against a server that ignores <c>page</c>.</summary>
    internal const int MaxPages = 1000;

    private const string ApiRoot = "cmf/api/v1/";

    public string ClusterName => clusterName;

    /// <summary>The HttpClient, for composing a Flink REST client over a <c>flink-web-ui</c> proxy path.</summary>
    public HttpClient Http => http;

    /// <summary>The absolute URI of an API path, e.g. for a proxy base address.</summary>
    public Uri UriOf(string path) => new(http.BaseAddress!, ApiRoot + path);

    /// <summary>GET a resource; null on 404.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, cancellationToken, notFoundIsValue: true);
        return status == HttpStatusCode.NotFound ? null : body as JsonObject ?? throw Unreadable(HttpMethod.Get, path, status, "not a JSON object");
    }

    /// <summary>
    /// Every item of a paged list: <c>page=0,1,…&amp;size=100</c> until a page has no items (as the Confluent CLI does; the
    /// total in <c>metadata.size</c> is not trusted). A 404 (e.g. the environment does not exist) reads as an empty list.
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var page = 0; page < MaxPages; page++)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"{path}{separator}page={page}&size={PageSize}", null, cancellationToken, notFoundIsValue: true);
            if (status == HttpStatusCode.NotFound) return items;
            var pageItems = body?["items"] as JsonArray;
            if (pageItems is null || pageItems.Count == 0) break;
            items.AddRange(pageItems.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()));
        }
        return items;
    }

    /// <summary>
    /// Sends a request with a JSON body; returns the status and the parsed body (null when empty). 404 is returned, not thrown,
    /// when <paramref name="notFoundIsValue"/>; <paramref name="accepted"/> lists further non-2xx statuses returned as values
    /// (e.g. 409 for "already exists"). Non-GETs are not retried unless <paramref name="retrySafe"/>.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, JsonNode? content, CancellationToken cancellationToken,
        bool notFoundIsValue = false, bool retrySafe = false, params HttpStatusCode[] accepted)
    {
        using var request = new HttpRequestMessage(method, ApiRoot + path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (content is not null) request.Content = new StringContent(content.ToJsonString(), Encoding.UTF8, "application/json");
        if (retrySafe) FlinkResilienceHandler.AllowRetries(request);
        using var response = await SendCoreAsync(request, cancellationToken);
        var status = response.StatusCode;
        if (!response.IsSuccessStatusCode && !(notFoundIsValue && status == HttpStatusCode.NotFound) && !accepted.Contains(status))
        {
            throw await ErrorAsync(response, cancellationToken);
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text) || !response.IsSuccessStatusCode) return (status, TryParse(text));
        try
        {
            return (status, JsonNode.Parse(text));
        }
        catch (JsonException e)
        {
            throw Unreadable(method, path, status, e.Message, e);
        }
    }

    /// <summary>
    /// The exception for a non-success answer: the first line of CMF's <c>errors[0].message</c>, else of a plain-text body,
    /// else the status and reason phrase (a proxy's HTML page says nothing a person can use).
    /// </summary>
    internal static async Task<CmfApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var text = response.Content is null ? "" : await response.Content.ReadAsStringAsync(cancellationToken);
        var message = TryParse(text) is JsonObject { } body && body["errors"] is JsonArray { Count: > 0 } errors
            ? errors[0] is JsonObject error ? error["message"]?.GetValueKind() == JsonValueKind.String ? (string?)error["message"] : null
              : errors[0]?.GetValueKind() == JsonValueKind.String ? (string?)errors[0] : null
            : null;
        if (string.IsNullOrWhiteSpace(message) && !string.IsNullOrWhiteSpace(text) && !text.TrimStart().StartsWith('<') && !text.TrimStart().StartsWith('{'))
        {
            message = text;
        }
        return new CmfApiException(
            string.IsNullOrWhiteSpace(message) ? $"CMF answered {status} ({response.ReasonPhrase}) without an error message." : FlinkErrors.FirstLine(message),
            status);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (TransportFailures.Describe(e, $"CMF of cluster {clusterName}") is { } failure)
        {
            throw new CmfApiException(failure, 0, e);
        }
    }

    private static JsonNode? TryParse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CmfApiException Unreadable(HttpMethod method, string path, HttpStatusCode status, string why, Exception? inner = null) =>
        new($"CMF answered {method} /{ApiRoot}{path} with a body this client cannot read: {why}", (int)status, inner);
}
