namespace FlinkOpsBot.Core.Runs;

/// <summary>
/// Which engine instance may advance a run, and until when. Persisted with the run (<see cref="Run.Lease"/>) and
/// written only with ETag-conditional replaces, so two hosts on one store never both hold it; see
/// <see cref="Engine.RunLeases"/>.
/// </summary>
/// <param name="Owner">The holder's owner id (host name / process id / random suffix, or <c>Engine:LeaseOwner</c>).</param>
/// <param name="ExpiresAt">When the lease lapses (UTC) unless its holder renews it; after that any engine may take it over.</param>
public sealed record RunLease(string Owner, DateTimeOffset ExpiresAt);
