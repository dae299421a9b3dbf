using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FlinkOpsBot.Teams.Connector;

/// <summary>
/// The Bot Connector REST operations the bot uses (Bot Framework REST API reference, <c>v3/conversations</c>), over a
/// typed HttpClient that adds the bot's token (<see cref="ConnectorAuthHandler"/>) and retries what is safe to retry
/// (<see cref="ConnectorRetryHandler"/>). The base address is the conversation's <c>serviceUrl</c>, which must be one
/// <see cref="ServiceUrls"/> trusts; path segments are escaped with <see cref="Uri.EscapeDataString(string)"/> (a channel thread's
/// <c>19:…@thread.skype;messageid=1571508491752</c> becomes <c>19%3A…%40thread.skype%3Bmessageid%3D1571508491752</c>).
/// </summary>
internal sealed class ConnectorClient(HttpClient http, ServiceUrls serviceUrls)
{
    /// <summary><c>POST {serviceUrl}v3/conversations/{conversationId}/activities</c>: sends to the conversation; returns the new activity id.</summary>
    /// <exception cref="TeamsApiException">Refused, untrusted serviceUrl, or kept failing.</exception>
    public Task<string> SendToConversationAsync(Uri serviceUrl, string conversationId, OutboundActivity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "POST activities", ActivitiesPath(conversationId), serviceUrl, activity, cancellationToken);

    /// <summary><c>POST {serviceUrl}v3/conversations/{conversationId}/activities/{activityId}</c>: replies to an activity (in its thread); returns the new activity id.</summary>
    /// <exception cref="TeamsApiException">Refused, untrusted serviceUrl, or kept failing.</exception>
    public Task<string> ReplyToActivityAsync(Uri serviceUrl, string conversationId, string activityId, OutboundActivity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "POST reply", ActivityPath(conversationId, activityId), serviceUrl, activity with { ReplyToId = activityId }, cancellationToken);

    /// <summary><c>PUT {serviceUrl}v3/conversations/{conversationId}/activities/{activityId}</c>: replaces an activity the bot sent.</summary>
    /// <exception cref="TeamsApiException">Refused (e.g. 404 when the message was deleted), untrusted serviceUrl, or kept failing.</exception>
    public Task<string> UpdateActivityAsync(Uri serviceUrl, string conversationId, string activityId, OutboundActivity activity, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "PUT activity", ActivityPath(conversationId, activityId), serviceUrl, activity with { Id = activityId }, cancellationToken);

    /// <summary><c>GET {serviceUrl}v3/conversations/{conversationId}/members/{memberId}</c>: one member, with its UPN.</summary>
    /// <exception cref="TeamsApiException">Refused (404 <c>MemberNotFoundInConversation</c>), untrusted serviceUrl, or kept failing.</exception>
    public async Task<TeamsChannelAccount> GetMemberAsync(Uri serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        const string Operation = "GET member";
        using var request = new HttpRequestMessage(HttpMethod.Get, Address(serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/members/{Uri.EscapeDataString(memberId)}", Operation));
        using var response = await SendCheckedAsync(request, Operation, cancellationToken);
        return await ReadAsync(response, TeamsJsonContext.Default.TeamsChannelAccount, Operation, cancellationToken);
    }

    private static string ActivitiesPath(string conversationId) => $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";

    private static string ActivityPath(string conversationId, string activityId) => $"{ActivitiesPath(conversationId)}/{Uri.EscapeDataString(activityId)}";

    private async Task<string> SendAsync(HttpMethod method, string operation, string path, Uri serviceUrl, OutboundActivity activity, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, Address(serviceUrl, path, operation))
        {
            Content = JsonContent.Create(activity, TeamsJsonContext.Default.OutboundActivity),
        };
        await request.Content.LoadIntoBufferAsync(cancellationToken); // a retry sends the same bytes again
        using var response = await SendCheckedAsync(request, operation, cancellationToken);
        var resource = await ReadAsync(response, TeamsJsonContext.Default.ResourceResponse, operation, cancellationToken);
        return resource.Id ?? "";
    }

    private Uri Address(Uri serviceUrl, string path, string operation)
    {
        var baseUrl = ServiceUrls.Normalize(serviceUrl.AbsoluteUri);
        if (baseUrl is null || !serviceUrls.IsTrusted(baseUrl))
        {
            throw new TeamsApiException(operation, 0, TeamsApiException.UntrustedServiceUrl, $"{serviceUrl.Host} did not come from a verified activity");
        }
        return new Uri(baseUrl.AbsoluteUri + path);
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new TeamsApiException(operation, 0, "connection_failed", e.Message, e);
        }
        if (response.IsSuccessStatusCode) return response;

        using (response)
        {
            var status = (int)response.StatusCode;
            ErrorBody? error = null;
            try
            {
                error = (await response.Content.ReadFromJsonAsync(TeamsJsonContext.Default.ErrorResponse, cancellationToken))?.Error;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                // No JSON error body: the status is all there is.
            }
            throw new TeamsApiException(operation, status, error?.Code is { Length: > 0 } code ? code : $"http_{status}", error?.Message);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (body.Length == 0) return JsonSerializer.Deserialize("{}", type)!;
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new TeamsApiException(operation, (int)response.StatusCode, "invalid_response", null, e);
        }
    }
}
