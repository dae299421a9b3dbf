using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FlinkOpsBot.Slack.Verification;

/// <summary>
/// Runs before every Slack endpoint: buffers the raw body, verifies its signature (401 with an empty body
/// otherwise, before anything else looks at the request), then requires a well-formed
/// <c>application/x-www-form-urlencoded</c> body (400 otherwise) and hands the parsed form to the endpoint through
/// <see cref="HttpRequest.Form"/>.
/// </summary>
internal sealed class SlackRequestFilter(SlackSignatureVerifier verifier, ILogger<SlackRequestFilter> logger) : IEndpointFilter
{
    /// <summary>The largest body read. Slack's biggest payloads (a block_actions click carrying a 50-block card) stay well below.</summary>
    internal const int MaxBodyBytes = 1024 * 1024;

    private const string TimestampHeader = "X-Slack-Request-Timestamp";
    private const string SignatureHeader = "X-Slack-Signature";
    private const string FormMediaType = "application/x-www-form-urlencoded";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var body = await ReadBodyAsync(request, http.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var check = verifier.Check(request.Headers[TimestampHeader], request.Headers[SignatureHeader], body);
        if (check != SignatureCheck.Valid)
        {
            SlackLog.RequestRejected(logger, request.Path, check);
            return Results.Unauthorized();
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase))
        {
            SlackLog.RequestMalformed(logger, request.Path, $"content type {request.ContentType ?? "(none)"}");
            return Results.BadRequest();
        }
        try
        {
            var form = await new FormReader(Encoding.UTF8.GetString(body)).ReadFormAsync(http.RequestAborted);
            http.Features.Set<IFormFeature>(new FormFeature(new FormCollection(form)));
        }
        catch (InvalidDataException e)
        {
            SlackLog.RequestMalformed(logger, request.Path, e.Message);
            return Results.BadRequest();
        }
        return await next(context);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBodyBytes) return null;
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }
}
