using System.Net.Http.Json;

namespace FlinkOpsBot.Slack.WebApi;

/// <summary>
/// Posts messages to a request's <c>response_url</c> (valid for 5 posts within 30 minutes; no token needed). Used for
/// replies that miss the acknowledgement budget and for refusals only the person who clicked should see.
/// Not retried: a repeated post would show the message twice.
/// </summary>
internal sealed class ResponseUrlClient(HttpClient http)
{
    /// <summary>A request's <c>response_url</c>, or null when it is not an absolute http(s) URL.</summary>
    public static Uri? Parse(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    /// <exception cref="HttpRequestException">Slack did not accept the message.</exception>
    public async Task PostAsync(Uri responseUrl, ResponseMessage message, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(message, SlackJsonContext.Default.ResponseMessage);
        using var response = await http.PostAsync(responseUrl, content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
