using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FlinkOpsBot.Slack.WebApi;

/// <summary>
/// The Slack Web API methods the bot calls, over a typed HttpClient whose base address is
/// <see cref="SlackOptions.ApiBaseUrl"/> and which sends the bot token as a Bearer token and retries rate limits
/// (<see cref="SlackRetryHandler"/>). Bodies are JSON (<c>application/json; charset=utf-8</c>).
/// </summary>
internal sealed class SlackWebApiClient(HttpClient http)
{
    public const string PostMessageMethod = "chat.postMessage";
    public const string UpdateMethod = "chat.update";
    public const string UserGroupUsersMethod = "usergroups.users.list";

    /// <summary>Slack <c>chat.postMessage</c>: posts a message, or a thread reply when <see cref="PostMessageRequest.ThreadTs"/> is set.</summary>
    /// <exception cref="SlackApiException">Slack refused it, or kept failing.</exception>
    public Task<MessageRef> PostMessageAsync(PostMessageRequest request, CancellationToken cancellationToken) =>
        CallAsync(PostMessageMethod, request, SlackJsonContext.Default.PostMessageRequest, cancellationToken);

    /// <summary>Slack <c>chat.update</c>: replaces a message the bot posted.</summary>
    /// <exception cref="SlackApiException">Slack refused it (e.g. <c>message_not_found</c>), or kept failing.</exception>
    public Task<MessageRef> UpdateMessageAsync(UpdateMessageRequest request, CancellationToken cancellationToken) =>
        CallAsync(UpdateMethod, request, SlackJsonContext.Default.UpdateMessageRequest, cancellationToken);

    /// <summary>
    /// Slack <c>usergroups.users.list</c> (scope <c>usergroups:read</c>): the user ids (<c>U…</c>/<c>W…</c>) in the user
    /// group <paramref name="userGroupId"/> (<c>S…</c>). Sent form-encoded, as every Web API method accepts.
    /// </summary>
    /// <exception cref="SlackApiException">Slack refused it (<c>missing_scope</c>, <c>no_such_subteam</c>, <c>plan_upgrade_required</c>), or kept failing.</exception>
    public async Task<IReadOnlyList<string>> UserGroupUsersAsync(string userGroupId, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("usergroup", userGroupId)]);
        var (answer, status) = await SendAsync(UserGroupUsersMethod, content, SlackJsonContext.Default.UserGroupUsersResponse, cancellationToken);
        return answer switch
        {
            { Ok: true, Users: { } users } => users,
            { Ok: true } or null => throw new SlackApiException(UserGroupUsersMethod, "invalid_response", status),
            _ => throw new SlackApiException(UserGroupUsersMethod, answer.Error ?? "unknown_error", status),
        };
    }

    private async Task<MessageRef> CallAsync<TRequest>(string method, TRequest request, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(request, requestType);
        var (answer, status) = await SendAsync(method, content, SlackJsonContext.Default.WebApiResponse, cancellationToken);
        return answer switch
        {
            { Ok: true, Channel: { } channel, Ts: { } ts } => new MessageRef(channel, ts),
            { Ok: true } or null => throw new SlackApiException(method, "invalid_response", status),
            _ => throw new SlackApiException(method, answer.Error ?? "unknown_error", status),
        };
    }

    /// <summary>Posts <paramref name="content"/> to <paramref name="method"/> and reads Slack's JSON answer; HTTP errors and unreadable answers throw.</summary>
    private async Task<(TAnswer? Answer, int Status)> SendAsync<TAnswer>(string method, HttpContent content, JsonTypeInfo<TAnswer> answerType, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(method, content, cancellationToken);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode) throw new SlackApiException(method, status == 429 ? "ratelimited" : $"http_{status}", status);
        try
        {
            return (await response.Content.ReadFromJsonAsync(answerType, cancellationToken), status);
        }
        catch (JsonException e)
        {
            throw new SlackApiException(method, "invalid_response", status, e);
        }
    }
}
