using System.Security.Cryptography;
using System.Text;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FlinkOpsBot.Host.Composition;

/// <summary>
/// <c>GET /api/timeline/{id}?format=md|json</c>: a run's (<c>R-7Q2K</c>) or an incident's (<c>INC-4F2K</c>) timeline
/// for the post-mortem, to callers that present <see cref="TimelineExportOptions.BearerToken"/> as
/// <c>Authorization: Bearer …</c>. Anything else gets 401 with no detail. Served only when the token is configured.
/// </summary>
public static class TimelineEndpoints
{
    /// <summary>The route: <c>/api/timeline/{id}</c>.</summary>
    public const string Route = "/api/timeline/{id}";

    /// <summary>Maps the export when <c>Timeline:BearerToken</c> is set; does nothing otherwise.</summary>
    public static IEndpointRouteBuilder MapTimelineExport(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<TimelineExportOptions>>().Value;
        if (string.IsNullOrEmpty(options.BearerToken)) return endpoints;
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.BearerToken));
        endpoints.MapGet(Route, async (HttpContext http, string id, string? format, TimelineService timelines) =>
        {
            if (!IsAuthorized(http.Request, expected))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }
            TimelineFormat? parsed = format?.ToLowerInvariant() switch
            {
                null or "" or "md" or "markdown" => TimelineFormat.Markdown,
                "json" => TimelineFormat.Json,
                _ => null,
            };
            if (parsed is not { } chosen) return Results.Text("format must be md or json, e.g. ?format=json", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            var document = await timelines.LoadAsync(id, http.RequestAborted);
            if (document is null) return Results.Text($"There is no run or incident '{Shown(id)}' (ids look like R-7Q2K or INC-4F2K).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline") { FileName = document.FileName(chosen) }.ToString();
            return Results.Text(document.Render(chosen), TimelineDocument.ContentType(chosen));
        });
        return endpoints;
    }

    /// <summary>True when the request carries <c>Authorization: Bearer &lt;token&gt;</c> with the configured token, compared in constant time.</summary>
    private static bool IsAuthorized(HttpRequest request, byte[] expected)
    {
        if (request.Headers.Authorization is not [{ } header] || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private static string Shown(string id) => id.Length > 20 ? id[..20] + "…" : id;
}

/// <summary>Checks <see cref="TimelineExportOptions"/> at start: a bearer token, when set, is long enough to resist guessing.</summary>
internal sealed class TimelineExportOptionsValidator : IValidateOptions<TimelineExportOptions>
{
    /// <summary>The shortest token accepted: 32 characters.</summary>
    public const int MinimumTokenLength = 32;

    public ValidateOptionsResult Validate(string? name, TimelineExportOptions options)
    {
        var problems = new List<string>();
        if (options.BearerToken is { Length: > 0 and < MinimumTokenLength })
        {
            problems.Add($"Timeline:BearerToken must be at least {MinimumTokenLength} characters (e.g. `openssl rand -hex 32`), or unset to turn the HTTP timeline export off.");
        }
        if (options.PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            problems.Add("Timeline:PublicBaseUrl must be an absolute http(s) URL, e.g. https://flinkops.example.com/.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
