using Polly;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// Runs each request of one cluster's HttpClient through that cluster's resilience pipeline (retry, circuit
/// breaker, per-attempt timeout; see <see cref="FlinkResiliencePipelines"/>). The response body is buffered inside
/// the attempt, so the attempt timeout covers it and a broken body counts as a failed attempt.
/// </summary>
internal sealed class FlinkResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<bool> RetrySafeOption = new("FlinkOpsBot.Flink.RetrySafe");
    private static readonly HttpRequestOptionsKey<TimeSpan> AttemptTimeoutOption = new("FlinkOpsBot.Flink.AttemptTimeout");
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestProperty = new("FlinkOpsBot.Flink.Request");

    /// <summary>
    /// Marks a non-GET request as safe to send again (its effect happens at most once: it carries an idempotency
    /// key, or Flink treats a repeat as a no-op). GETs are retried without a mark; anything else never is.
    /// </summary>
    public static void AllowRetries(HttpRequestMessage request) => request.Options.Set(RetrySafeOption, true);

    /// <summary>Gives a request its own attempt timeout instead of <see cref="FlinkClientOptions.AttemptTimeout"/>.</summary>
    public static void SetAttemptTimeout(HttpRequestMessage request, TimeSpan timeout) => request.Options.Set(AttemptTimeoutOption, timeout);

    /// <summary>The attempt timeout the request of <paramref name="context"/> asked for, if any.</summary>
    public static TimeSpan? AttemptTimeoutOf(ResilienceContext context) =>
        RequestOf(context) is { } request && request.Options.TryGetValue(AttemptTimeoutOption, out var timeout) ? timeout : null;

    /// <summary>The request an attempt belongs to.</summary>
    public static HttpRequestMessage? RequestOf(ResilienceContext context) =>
        context.Properties.TryGetValue(RequestProperty, out var request) ? request : null;

    /// <summary>True when the request of <paramref name="context"/> may be sent again.</summary>
    public static bool MayRetry(ResilienceContext context) =>
        RequestOf(context) is { } request
        && (request.Method == HttpMethod.Get || (request.Options.TryGetValue(RetrySafeOption, out var safe) && safe));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestProperty, request);
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken),
                context,
                (Handler: this, Request: request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
