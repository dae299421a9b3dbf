using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace FlinkOpsBot.Teams.Activities;

/// <summary>Reads a request body as an <see cref="Activity"/>: JSON only, at most <see cref="MaxBodyBytes"/>. Never throws for bad input.</summary>
internal static class ActivityReader
{
    /// <summary>The largest body accepted: 1 MiB (a Teams message is at most about 100 KB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>The activity, or the status to answer (400, 413, 415) and why.</summary>
    public static async Task<(Activity? Activity, int Status, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, "the content type is not application/json");
        }
        if (request.ContentLength > MaxBodyBytes) return (null, StatusCodes.Status413PayloadTooLarge, "the body is larger than 1 MiB");

        var body = await ReadBoundedAsync(request.Body, cancellationToken);
        if (body is null) return (null, StatusCodes.Status413PayloadTooLarge, "the body is larger than 1 MiB");
        return Parse(body) is { } activity
            ? (activity, StatusCodes.Status200OK, null)
            : (null, StatusCodes.Status400BadRequest, "the body is not an activity");
    }

    /// <summary>The activity in <paramref name="json"/>, or null when it is not JSON or not an object with a type.</summary>
    public static Activity? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var activity = JsonSerializer.Deserialize(json, TeamsJsonContext.Default.Activity);
            return activity is { Type.Length: > 0 } ? activity : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
