using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// The response body as SecureHeaders sees it, in front of everything else in the pipeline. It passes bytes
/// through unchanged until the body starts; then it decides, once, whether the response is
/// <list type="bullet">
/// <item>a replay of a cached page whose nonce must be renewed (<see cref="NonceReplay"/>), and/or</item>
/// <item>an HTML page whose tags loading the application's static scripts get the nonce (<see cref="ScriptTagNoncer"/>).</item>
/// </list>
/// </summary>
internal sealed class NonceBody : Stream, IHttpResponseBodyFeature
{
    private const int NonceLength = CspTemplate.NonceChars;
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly SecureHeadersRuntime _runtime;
    private PipeWriter? _writer;
    private bool _decided;
    private byte[]? _old;
    private byte[]? _fresh;
    private byte[]? _carry;
    private int _carried;
    private ScriptTagNoncer? _noncer;
    private ArrayBufferWriter<byte>? _transformed;

    public NonceBody(HttpContext context, IHttpResponseBodyFeature inner, SecureHeadersRuntime runtime)
    {
        _context = context;
        _inner = inner;
        _runtime = runtime;
    }

    /// <summary>True when this response replays a cached body whose nonce is being rewritten.</summary>
    public bool Rewriting => _old is not null;

    /// <summary>The tag scanner, when this response's static scripts get the nonce.</summary>
    internal ScriptTagNoncer? Noncer => _noncer;

    /// <summary>
    /// Decides once, before the first byte or header goes out: reads (and removes) the replay slot, and starts the
    /// tag scanner for HTML under a policy whose scripts need the nonce. Either way the response takes its nonce now,
    /// so that the header SecureHeaders writes and the body agree.
    /// </summary>
    public void Decide()
    {
        if (_decided)
        {
            return;
        }

        _decided = true;
        if (_runtime.NonceReplayActive)
        {
            DecideReplay();
        }

        if (_runtime.ScriptNonces is { } scripts && FrameworkAssets.Applies(_context, _runtime))
        {
            var nonce = Microsoft.AspNetCore.Http.CspNonceHttpContextExtensions.GetOrCreateNonceFeature(_context, replay: true).Nonce;
            var request = _context.Request;
            var host = request.Host.Value ?? string.Empty;
            var pathBase = request.PathBase.Value;
            var path = request.Path.Value;
            // Adding attributes changes the length; the body goes out chunked instead.
            _context.Response.ContentLength = null;
            _noncer = new ScriptTagNoncer(nonce, (url, baseHref) => scripts.IsStaticScript(url, baseHref, host, pathBase, path));
        }
    }

    private void DecideReplay()
    {
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
            SecureHeadersLog.NonceReplayEncoded(_runtime.Logger, _context.Request.Path.Value ?? "/", encoding.ToString());
            return;
        }

        var fresh = existing ?? Microsoft.AspNetCore.Http.CspNonceHttpContextExtensions.GetOrCreateNonceFeature(_context, replay: true);
        _old = Encoding.ASCII.GetBytes(stored);
        _fresh = Encoding.ASCII.GetBytes(fresh.Nonce);
        _carry = new byte[NonceLength - 1];
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
        return _old is not null || _noncer is not null
            ? SendFileFallback.SendFileAsync(this, path, offset, count, cancellationToken)
            : _inner.SendFileAsync(path, offset, count, cancellationToken);
    }

    async Task IHttpResponseBodyFeature.CompleteAsync()
    {
        await FinishAsync().ConfigureAwait(false);
        await _inner.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Writes what is held back at the end of the body (a possible start of the old nonce, an open tag).</summary>
    public async Task FinishAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }

        ReadOnlyMemory<byte> rest = ReadOnlyMemory<byte>.Empty;
        if (_carried > 0)
        {
            rest = _carry.AsMemory(0, _carried);
            _carried = 0;
        }

        if (_noncer is { } noncer)
        {
            var output = _transformed ??= new ArrayBufferWriter<byte>();
            output.ResetWrittenCount();
            noncer.Process(rest.Span, output);
            noncer.Complete(output);
            rest = output.WrittenMemory;
        }

        if (!rest.IsEmpty)
        {
            await _inner.Stream.WriteAsync(rest).ConfigureAwait(false);
        }
    }

    /// <summary>Returns pooled buffers when the response ends.</summary>
    public void Release() => _noncer?.Release();

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
        return _old is null && _noncer is null ? _inner.Stream.WriteAsync(buffer, cancellationToken) : TransformAsync(buffer, cancellationToken);
    }

    private async ValueTask TransformAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        byte[]? rented = null;
        try
        {
            var data = buffer;
            if (_old is not null)
            {
                // Replace the old nonce in carry + buffer; hold back the last NonceLength - 1 bytes, which could be
                // the start of an occurrence split across writes.
                var total = _carried + buffer.Length;
                rented = ArrayPool<byte>.Shared.Rent(total);
                _carry.AsSpan(0, _carried).CopyTo(rented);
                buffer.Span.CopyTo(rented.AsSpan(_carried));
                Replace(rented.AsSpan(0, total), _old, _fresh!);
                var keep = Math.Min(total, _carry!.Length);
                var send = total - keep;
                rented.AsSpan(send, keep).CopyTo(_carry);
                _carried = keep;
                data = rented.AsMemory(0, send);
            }

            if (_noncer is { } noncer)
            {
                var output = _transformed ??= new ArrayBufferWriter<byte>();
                output.ResetWrittenCount();
                noncer.Process(data.Span, output);
                data = output.WrittenMemory;
            }

            if (!data.IsEmpty)
            {
                await _inner.Stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
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
