using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlinkOpsBot.Core.Commands;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack.Files;

/// <summary>
/// Uploads a file to a channel with Slack's external upload flow (what the SDKs call <c>files.uploadV2</c>):
/// <list type="number">
/// <item><c>files.getUploadURLExternal</c> (form-encoded <c>filename</c>, <c>length</c> in bytes) returns an
/// <c>upload_url</c> and a <c>file_id</c>;</item>
/// <item>the bytes are POSTed to the <c>upload_url</c> (no token: the URL itself is the credential);</item>
/// <item><c>files.completeUploadExternal</c> (JSON) shares the file to <c>channel_id</c>, in <c>thread_ts</c> when given.</item>
/// </list>
/// Needs the bot scope <c>files:write</c>, and the bot in the channel (otherwise <c>not_in_channel</c>).
/// </summary>
internal sealed class SlackFileUploader(IHttpClientFactory clients, IOptions<SlackOptions> options)
{
    /// <summary>The named client for the Web API calls (bot token, retries); see <see cref="SlackServiceCollectionExtensions"/>.</summary>
    public const string ApiClient = "slack-files-api";

    /// <summary>The named client for the upload URL (no token, retries).</summary>
    public const string UploadClient = "slack-files-upload";

    public const string GetUploadUrlMethod = "files.getUploadURLExternal";
    public const string CompleteUploadMethod = "files.completeUploadExternal";

    /// <summary>Uploads <paramref name="file"/> and shares it to <paramref name="channelId"/>; returns the file id (<c>F…</c>).</summary>
    /// <exception cref="SlackApiException">A step failed; <see cref="SlackApiException.Error"/> has Slack's error code
    /// (e.g. <c>not_in_channel</c>, <c>missing_scope</c>), or <c>invalid_upload_url</c> when Slack's upload URL is not https.</exception>
    public async Task<string> UploadAsync(string channelId, string? threadTs, ReplyFile file, string? comment, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(file.Content);
        var api = clients.CreateClient(ApiClient);

        using var form = new FormUrlEncodedContent([new("filename", file.FileName), new("length", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        using var urlResponse = await api.PostAsync(GetUploadUrlMethod, form, cancellationToken);
        var target = await ReadAsync(urlResponse, GetUploadUrlMethod, SlackJsonContext.Default.UploadUrlResponse, cancellationToken);
        if (target is not { Ok: true, UploadUrl: { } uploadText, FileId: { } fileId })
        {
            throw new SlackApiException(GetUploadUrlMethod, target?.Error ?? "invalid_response", (int)urlResponse.StatusCode);
        }
        if (!IsTrustedUploadUrl(uploadText, out var uploadUrl)) throw new SlackApiException(GetUploadUrlMethod, "invalid_upload_url", (int)urlResponse.StatusCode);

        using (var body = new ByteArrayContent(bytes))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var uploaded = await clients.CreateClient(UploadClient).PostAsync(uploadUrl, body, cancellationToken);
            if (!uploaded.IsSuccessStatusCode) throw new SlackApiException("file upload", $"http_{(int)uploaded.StatusCode}", (int)uploaded.StatusCode);
        }

        var complete = new CompleteUploadRequest([new CompletedFile(fileId, file.Title)], channelId, threadTs, comment);
        using var content = JsonContent.Create(complete, SlackJsonContext.Default.CompleteUploadRequest);
        using var completed = await api.PostAsync(CompleteUploadMethod, content, cancellationToken);
        var answer = await ReadAsync(completed, CompleteUploadMethod, SlackJsonContext.Default.WebApiResponse, cancellationToken);
        if (answer is not { Ok: true }) throw new SlackApiException(CompleteUploadMethod, answer?.Error ?? "invalid_response", (int)completed.StatusCode);
        return fileId;
    }

    /// <summary>
    /// Slack's upload URLs are https on <c>files.slack.com</c>; a plain-http URL is accepted only on the Web API's own host
    /// (a local fake in tests), so file contents never go out unencrypted to an address Slack did not serve.
    /// </summary>
    private bool IsTrustedUploadUrl(string text, out Uri url)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out url!)) return false;
        return url.Scheme == Uri.UriSchemeHttps
            || (url.Scheme == Uri.UriSchemeHttp && url.Authority == options.Value.ApiBaseUrl.Authority);
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, string method, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode) throw new SlackApiException(method, status == 429 ? "ratelimited" : $"http_{status}", status);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SlackApiException(method, "invalid_response", status, e);
        }
    }
}
