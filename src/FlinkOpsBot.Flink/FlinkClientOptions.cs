using System.ComponentModel.DataAnnotations;

namespace FlinkOpsBot.Flink;

/// <summary>
/// How the Flink REST client treats a slow or failing cluster: a timeout per attempt, retries with jittered
/// exponential backoff for requests that are safe to repeat, and a circuit breaker per cluster. Bound from the
/// configuration section given to <see cref="FlinkServiceCollectionExtensions.AddFlinkPlatforms"/> and validated
/// at start.
/// </summary>
public sealed class FlinkClientOptions
{
    /// <summary>How long one attempt of one request may take (a jar run: <see cref="JarRunTimeout"/>). Default 10 seconds; 10 ms to 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a jar run (<c>POST /jars/:jarid/run</c>) may take: Flink runs the jar's main method before it
    /// answers, which can take far longer than other calls. Default 60 seconds; 1 second to 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan JarRunTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Retries after the first attempt, for requests safe to repeat only (GETs, stop-with-savepoint carrying a
    /// trigger id, cancel); a jar run is never retried. 0 disables retries. Default 3; at most 10.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The backoff before the first retry; it doubles per retry, with jitter. Default 200 ms; up to 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens a cluster's circuit. Default 0.5; above 0, at most 1.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within <see cref="BreakerSamplingDuration"/> before the ratio counts. Default 10; at least 2.</summary>
    [Range(2, int.MaxValue)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted. Default 30 seconds; 0.5 s to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once, without contacting the cluster. Default 30 seconds; 0.5 s to 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
