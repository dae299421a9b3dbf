namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>The faults a test has armed. Not thread-safe: used under the simulation's lock.</summary>
internal sealed class FaultState
{
    private readonly Dictionary<string, string> _nextStopFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nextSavepointFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _checkpointFailures = new(StringComparer.Ordinal);
    private int _failingRequests;
    private int _failingRequestStatus;

    public void FailNextStop(string jobId, string message) => _nextStopFailures[jobId] = message;

    public void FailNextSavepoint(string jobId, string message) => _nextSavepointFailures[jobId] = message;

    public void FailCheckpoints(string jobId, bool fail, string message)
    {
        if (fail) _checkpointFailures[jobId] = message;
        else _checkpointFailures.Remove(jobId);
    }

    public void FailNextRequests(int count, int status)
    {
        _failingRequests = count;
        _failingRequestStatus = status;
    }

    /// <summary>The failure armed for the next savepoint (or stop) of <paramref name="jobId"/>, disarming it.</summary>
    public string? TakeSavepointFailure(string jobId, SavepointOperationKind kind)
    {
        var failures = kind is SavepointOperationKind.Stop ? _nextStopFailures : _nextSavepointFailures;
        return failures.Remove(jobId, out var message) ? message : null;
    }

    /// <summary>Why checkpoints of <paramref name="jobId"/> fail now, if they do.</summary>
    public string? CheckpointFailure(string jobId) => _checkpointFailures.GetValueOrDefault(jobId);

    /// <summary>The status the next HTTP request must fail with, if one is armed, counting it down.</summary>
    public int? TakeRequestFailure()
    {
        if (_failingRequests == 0) return null;
        _failingRequests--;
        return _failingRequestStatus;
    }
}
