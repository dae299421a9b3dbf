using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace FlinkOpsBot.Slack.WebApi;

/// <summary>
/// Retries Web API calls that Slack asks to repeat: a 429 after its <c>Retry-After</c> plus up to a second of jitter
/// (as Slack's SDKs do), a 5xx after a jittered exponential backoff from one second; at most
/// <see cref="MaxRetryAttempts"/> retries, all within the HttpClient's overall timeout. A Polly v8 pipeline on the
/// registered <see cref="TimeProvider"/>, so tests move time instead of waiting.
/// </summary>
internal sealed class SlackRetryHandler : DelegatingHandler
{
    public const int MaxRetryAttempts = 3;

    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public SlackRetryHandler(TimeProvider time, ILogger<SlackRetryHandler> logger)
    {
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetryAttempts,
                Delay = BackoffBase,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && IsRetryable(response.StatusCode)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
                    ? RetryAfter(response, time)
                    : null),
                OnRetry = args =>
                {
                    var response = args.Outcome.Result;
                    SlackLog.Retrying(logger, response?.RequestMessage?.RequestUri?.Segments[^1] ?? "?",
                        $"HTTP {(int?)response?.StatusCode}", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken);

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Slack's <c>Retry-After</c> (seconds, or a date) plus jitter; null (use the backoff) when absent.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (wait is not { } w) return null;
        return (w > TimeSpan.Zero ? w : TimeSpan.Zero) + TimeSpan.FromMilliseconds(Random.Shared.Next(1000));
    }
}
