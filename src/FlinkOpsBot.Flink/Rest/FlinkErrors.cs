using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// Turns Flink's error texts into one readable line. Flink puts a whole Java stack trace in <c>errors[0]</c> and in
/// <c>failure-cause.stack-trace</c>; chat gets its first line, with Java package names and the
/// <c>CompletionException</c>/<c>ExecutionException</c> wrappers of Java futures removed.
/// </summary>
internal static partial class FlinkErrors
{
    /// <summary>The longest line kept; a savepoint path inside a message still fits.</summary>
    internal const int MaxLength = 500;

    /// <summary>
    /// The first non-blank line of <paramref name="javaText"/>, made readable:
    /// "java.util.concurrent.CompletionException: org.apache.flink.runtime.rest.NotFoundException: Job abc not found\n\tat …"
    /// becomes "NotFoundException: Job abc not found".
    /// </summary>
    public static string FirstLine(string javaText)
    {
        var line = javaText.AsSpan().TrimStart();
        var end = line.IndexOfAny('\r', '\n');
        var first = (end < 0 ? line : line[..end]).TrimEnd().ToString();
        var readable = FutureWrappers().Replace(JavaPackages().Replace(first, ""), "");
        return readable.Length <= MaxLength ? readable : string.Concat(readable.AsSpan(0, MaxLength - 1), "…");
    }

    /// <summary>
    /// The exception for a non-success answer: its status and the first line of <c>errors[0]</c>, or, when the body
    /// is not Flink's error shape (a proxy's HTML page, an empty body), the status and reason phrase.
    /// </summary>
    public static async Task<FlinkApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var message = await ReadFirstErrorAsync(response, cancellationToken)
            ?? $"Flink answered {status} ({response.ReasonPhrase}) without an error message.";
        return new FlinkApiException(message, status);
    }

    /// <summary>
    /// Whether the error body names <paramref name="text"/> anywhere (e.g. an exception class in the server-side trace
    /// of a 500, which <c>errors[1]</c> carries). The body is buffered, so it can still be read afterwards.
    /// </summary>
    public static async Task<bool> MentionsAsync(HttpResponseMessage response, string text, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Contains(text, StringComparison.Ordinal);
    }

    private static async Task<string?> ReadFirstErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync(FlinkJsonContext.Default.ErrorResponseDto, cancellationToken);
            return body?.Errors is [var first, ..] && !string.IsNullOrWhiteSpace(first) ? FirstLine(first) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The package of a qualified Java exception or error class name: "org.apache.flink.runtime.rest." in "org.apache.flink.runtime.rest.NotFoundException".</summary>
    [GeneratedRegex(@"(?<![\w$.])(?:[a-z_][\w$]*\.)+(?=[A-Z][\w$]*(?:Exception|Error)\b)")]
    private static partial Regex JavaPackages();

    /// <summary>Leading future wrappers that only carry the exception after them: "CompletionException: ExecutionException: ".</summary>
    [GeneratedRegex(@"^(?:(?:CompletionException|ExecutionException): )+(?=[A-Z][\w$]*(?:Exception|Error)\b)")]
    private static partial Regex FutureWrappers();
}
