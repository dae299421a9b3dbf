using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace FlinkOpsBot.Teams.Connector;

/// <summary>
/// Retries Connector calls that can safely be repeated. Every call: a 429 after its <c>Retry-After</c> (or the
/// backoff when absent), and a connection that failed before the request was sent. GET, PUT and DELETE (idempotent)
/// also: 5xx, 408 and any transport failure. POST creates a message, and a duplicate card is worse than a missing one
/// (the next run change re-renders it), so a POST is not retried once it may have arrived. At most
/// <see cref="MaxRetryAttempts"/> retries with a jittered exponential backoff from one second, a wait capped at
/// <see cref="MaxDelay"/>. A Polly v8 pipeline on the registered <see cref="TimeProvider"/>, so tests move time instead of waiting.
/// </summary>
internal sealed class ConnectorRetryHandler : DelegatingHandler
{
    public const int MaxRetryAttempts = 3;

    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan BackoffBase = TimeSpan.FromSeconds(1);
    private readonly ResiliencePipeline<HttpResponseMessage> _create;
    private readonly ResiliencePipeline<HttpResponseMessage> _idempotent;

    public ConnectorRetryHandler(TimeProvider time, ILogger<ConnectorRetryHandler> logger)
    {
        _create = Build(time, logger, idempotent: false);
        _idempotent = Build(time, logger, idempotent: true);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pipeline = request.Method == HttpMethod.Post ? _create : _idempotent;
        return await pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken);
    }

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    private static ResiliencePipeline<HttpResponseMessage> Build(TimeProvider time, ILogger logger, bool idempotent) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetryAttempts,
                Delay = BackoffBase,
                MaxDelay = MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result: { } response } => IsRetryable(response.StatusCode, idempotent),
                    { Exception: HttpRequestException e } => idempotent || NotSent(e),
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
                    ? RetryAfter(response, time)
                    : null),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage;
                    var outcome = args.Outcome.Result is { } r ? $"HTTP {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "?";
                    TeamsLog.ConnectorRetrying(logger, request?.Method.Method ?? "?", outcome, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static bool IsRetryable(HttpStatusCode status, bool idempotent) =>
        status == HttpStatusCode.TooManyRequests
        || (idempotent && (status == HttpStatusCode.RequestTimeout || (int)status >= 500));

    /// <summary>True when the request cannot have reached the Connector: no connection, name or TLS session was established.</summary>
    private static bool NotSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;

    /// <summary>The <c>Retry-After</c> (seconds, or a date), or null (use the backoff) when absent.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (wait is not { } w) return null;
        return w <= TimeSpan.Zero ? TimeSpan.Zero : w > MaxDelay ? MaxDelay : w;
    }
}

/// <summary>Adds the bot's token (<c>Authorization: Bearer …</c>) to every Connector request, fresh for every attempt.</summary>
internal sealed class ConnectorAuthHandler(ConnectorTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
