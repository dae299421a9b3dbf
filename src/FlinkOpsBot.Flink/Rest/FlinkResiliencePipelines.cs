using FlinkOpsBot.Core.Platforms;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// One resilience pipeline per cluster, kept for the life of the process so that a cluster's circuit breaker
/// survives IHttpClientFactory's handler rotation. Outermost first: retry (jittered exponential backoff, only
/// for requests <see cref="FlinkResilienceHandler.MayRetry"/> allows), circuit breaker, per-attempt timeout (the
/// request's own, see <see cref="FlinkResilienceHandler.SetAttemptTimeout"/>, or <see cref="FlinkClientOptions.AttemptTimeout"/>).
/// Transient failures are those of <see cref="Core.Platforms.PlatformException.IsTransient"/>: no answer, a
/// timeout, 408, 429, 502, 503 (leader election), 504. A 500 is not: Flink answers it for deterministic errors.
/// </summary>
internal sealed class FlinkResiliencePipelines(
    IOptions<FlinkClientOptions> options,
    TimeProvider timeProvider,
    ILogger<FlinkResiliencePipelines> logger) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _registry = new();

    public ResiliencePipeline<HttpResponseMessage> For(string cluster) =>
        _registry.GetOrAddPipeline<HttpResponseMessage>(cluster, builder => Configure(builder, cluster));

    public void Dispose() => _registry.Dispose();

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, string cluster)
    {
        var settings = options.Value;
        builder.TimeProvider = timeProvider;
        if (settings.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                Delay = settings.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(FlinkResilienceHandler.MayRetry(args.Context) && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var request = FlinkResilienceHandler.RequestOf(args.Context);
                    FlinkLog.Retrying(logger, cluster, request?.Method, request?.RequestUri, Describe(args.Outcome), args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = settings.BreakerFailureRatio,
            MinimumThroughput = settings.BreakerMinimumThroughput,
            SamplingDuration = settings.BreakerSamplingDuration,
            BreakDuration = settings.BreakerBreakDuration,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                FlinkLog.CircuitOpened(logger, cluster, args.BreakDuration, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                FlinkLog.CircuitClosed(logger, cluster);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(FlinkResilienceHandler.AttemptTimeoutOf(args.Context) ?? settings.AttemptTimeout),
        });
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { } response && PlatformException.IsTransientStatus((int)response.StatusCode);

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.Message ?? $"HTTP {(int?)outcome.Result?.StatusCode}";
}
