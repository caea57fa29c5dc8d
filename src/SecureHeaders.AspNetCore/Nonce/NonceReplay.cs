using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCaching;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Nonce;

/// <summary>
/// Gives a page that a server-side cache (<c>UseResponseCaching</c>, <c>UseOutputCache</c>) stored and replays a fresh
/// nonce on every response, in its body and in its header alike.
/// </summary>
/// <remarks>
/// <para>When a nonce is created while one of those caches is in the pipeline, the nonce is also written to an
/// internal response header (<see cref="SlotHeader"/>). Both caches copy the response headers when the body starts,
/// before SecureHeaders writes its own headers, so the header is stored with the cached entry; SecureHeaders removes
/// it from every response it sends. When a cached entry is replayed, the header comes back with the nonce of the
/// first rendering: the body stream that SecureHeaders put in front of the cache then replaces that value, and only
/// that value, with the response's fresh nonce (same length, so Content-Length holds).</para>
/// <para>Only the random value of the first rendering is replaced: markup that an attacker managed to store in the
/// page could not know it when the page was rendered, so nothing gains a nonce that did not have one (CSP3 §7.1).</para>
/// </remarks>
internal static class NonceReplay
{
    /// <summary>The internal header that carries the body's nonce into a cache entry. Never sent to clients.</summary>
    public const string SlotHeader = "X-SecureHeaders-Cached-Nonce";

    /// <summary>Called when a nonce is created: under a server-side cache, the nonce goes into the slot header.</summary>
    public static void OnNonceCreated(HttpContext context, CspNonceFeature feature)
    {
        var features = context.Features;
        if (features.Get<IResponseCachingFeature>() is null && features.Get<IOutputCacheFeature>() is null)
        {
            return;
        }

        // From now on the middleware puts NonceReplayBody in front of the cache, ready for the replays.
        if (context.RequestServices?.GetService(typeof(SecureHeadersRuntime)) is SecureHeadersRuntime runtime)
        {
            runtime.NonceReplayActive = true;
        }

        if (!context.Response.HasStarted)
        {
            context.Response.Headers[SlotHeader] = feature.Nonce;
        }
    }
}

/// <summary>
/// The response body in front of the caches: passes bytes through until it learns, when the body starts, that the
/// response is a replay; then rewrites the first rendering's nonce into this response's nonce.
/// </summary>
internal sealed class NonceReplayBody : Stream, IHttpResponseBodyFeature
{
    private const int NonceLength = CspTemplate.NonceChars;
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly byte[] _carry = new byte[NonceLength - 1];
    private PipeWriter? _writer;
    private bool _decided;
    private byte[]? _old;
    private byte[]? _fresh;
    private int _carried;

    public NonceReplayBody(HttpContext context, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _inner = inner;
    }

    /// <summary>True when this response replays a cached body whose nonce is being rewritten.</summary>
    public bool Rewriting => _old is not null;

    /// <summary>
    /// Reads (and removes) the slot header once, before the first byte or header goes out. A value that differs from
    /// this response's nonce means the body is a replay; the response then takes a nonce of its own now, so that the
    /// header SecureHeaders writes and the rewritten body agree.
    /// </summary>
    public void Decide()
    {
        if (_decided)
        {
            return;
        }

        _decided = true;
        var headers = _context.Response.Headers;
        if (!headers.TryGetValue(NonceReplay.SlotHeader, out var slot))
        {
            return;
        }

        headers.Remove(NonceReplay.SlotHeader);
        var stored = slot.ToString();
        var existing = _context.Features.Get<ICspNonceFeature>() as CspNonceFeature;
        if (existing is not null && string.Equals(existing.Nonce, stored, StringComparison.Ordinal))
        {
            return; // the first rendering: body and header already share the nonce
        }

        if (stored.Length != NonceLength || !IsBase64(stored))
        {
            return;
        }

        if (headers.ContentEncoding is { Count: > 0 } encoding && !string.Equals(encoding.ToString(), "identity", StringComparison.OrdinalIgnoreCase))
        {
            if (_context.RequestServices?.GetService(typeof(SecureHeadersRuntime)) is SecureHeadersRuntime runtime)
            {
                SecureHeadersLog.NonceReplayEncoded(runtime.Logger, _context.Request.Path.Value ?? "/", encoding.ToString());
            }

            return;
        }

        var fresh = existing ?? Microsoft.AspNetCore.Http.CspNonceHttpContextExtensions.GetOrCreateNonceFeature(_context, replay: true);
        _old = Encoding.ASCII.GetBytes(stored);
        _fresh = Encoding.ASCII.GetBytes(fresh.Nonce);
    }

    private static bool IsBase64(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
            {
                return false;
            }
        }

        return true;
    }

    // IHttpResponseBodyFeature

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    void IHttpResponseBodyFeature.DisableBuffering() => _inner.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken)
    {
        Decide();
        return _inner.StartAsync(cancellationToken);
    }

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        Decide();
        return Rewriting
            ? SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken)
            : _inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    async Task IHttpResponseBodyFeature.CompleteAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        await _inner.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Writes what is held back at the end of the body (a possible start of the old nonce).</summary>
    public async Task FinishAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        if (_carried > 0)
        {
            var count = _carried;
            _carried = 0;
            await _inner.Stream.WriteAsync(_carry.AsMemory(0, count)).ConfigureAwait(false);
        }
    }

    // Stream

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Decide();
        return _inner.Stream.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Decide();
        return _old is null ? _inner.Stream.WriteAsync(buffer, cancellationToken) : RewriteAsync(buffer, cancellationToken);
    }

    /// <summary>
    /// Replaces the old nonce in carry + buffer and writes all of it except the last <c>NonceLength - 1</c> bytes,
    /// which could be the start of an occurrence split across writes.
    /// </summary>
    private async ValueTask RewriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = _carried + buffer.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            _carry.AsSpan(0, _carried).CopyTo(rented);
            buffer.Span.CopyTo(rented.AsSpan(_carried));
            Replace(rented.AsSpan(0, total), _old!, _fresh!);
            var keep = Math.Min(total, _carry.Length);
            var send = total - keep;
            rented.AsSpan(send, keep).CopyTo(_carry);
            _carried = keep;
            if (send > 0)
            {
                await _inner.Stream.WriteAsync(rented.AsMemory(0, send), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal static void Replace(Span<byte> data, ReadOnlySpan<byte> old, ReadOnlySpan<byte> fresh)
    {
        var start = 0;
        while (start <= data.Length - old.Length)
        {
            var found = data[start..].IndexOf(old);
            if (found < 0)
            {
                return;
            }

            fresh.CopyTo(data[(start + found)..]);
            start += found + old.Length;
        }
    }
}
