using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FlinkOpsBot.Flink;

/// <summary>
/// One line for a call that got no answer, shared by the Flink REST and CMF clients: the transport failed
/// (<see cref="HttpRequestException"/>), Polly's attempt timeout fired, or the circuit breaker is open.
/// </summary>
internal static class TransportFailures
{
    /// <summary>
    /// The chat-safe line for <paramref name="exception"/> when it is a transport failure of <paramref name="who"/> (e.g.
    /// "Flink cluster prod-eu"), or null for any other exception.
    /// </summary>
    public static string? Describe(Exception exception, string who) => exception switch
    {
        HttpRequestException e => $"{who} did not answer: {e.Message}",
        TimeoutRejectedException e => $"{who} did not answer within {e.Timeout.TotalSeconds:0.###} s.",
        BrokenCircuitException e =>
            $"Calls to {who} are paused{(e.RetryAfter is { } after ? $" for another {Math.Ceiling(after.TotalSeconds):0} s" : "")} after repeated failures.",
        _ => null,
    };
}
