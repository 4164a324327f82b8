import AuroraModel

extension LogWriter {
    /// Reopens a log to continue it: rebuilds the digest, sequence, time and symbol table from the
    /// intact events, and appends after them. The torn tail (and the old index) is cut when the
    /// writer first writes (a frame, or the index at `close`): until then the file is untouched.
    public static func openForAppend(path: String, options: LogWriterOptions = LogWriterOptions())
        throws -> (LogWriter, AppendRecovery)
    {
        let reader = try LogReader(path: path)
        if case .damaged(let error) = reader.tail { throw error }
        // Frame by frame, so that a last frame that is whole in size but bad in content (pages
        // that never reached the disk) is cut like any torn tail instead of half-counted.
        var frames = reader.frames
        var decoded: [[Event]] = []
        var tornTail: LogError? = if case .torn(let e) = reader.tail { e } else { nil }
        for i in frames.indices {
            let cursor = EventCursor(reader: reader, firstFrame: i, lastFrame: i, reportsDamagedTail: false)
            var events: [Event] = []
            do {
                while let event = try cursor.next() { events.append(event) }
            } catch let error as LogError {
                guard i == frames.count - 1, reader.tail != .closed else { throw error }
                tornTail = LogError(path: path, offset: frames[i].offset, .tornTail("last frame is unreadable: \(error.problem)"))
                frames.removeLast()
                break
            }
            if cursor.unknownKinds > 0 {
                throw LogError(path: path, .invalidAppend("the log holds events of kinds this aurora does not know"))
            }
            decoded.append(events)
        }
        guard let lastFrame = frames.last else {
            throw LogError(path: path, offset: Int64(FrameLayout.fileHeaderSize),
                           .invalidAppend("the log has no complete frame to continue from"))
        }
        let writer = try LogWriter(path: path, file: LogFile(path: path, mode: .update), options: options,
                                   endOffset: lastFrame.endOffset)
        for event in decoded.joined() {
            writer.digest.add(event)
            if case .symbolDefinition(let d) = event.payload {
                writer.symbolIDs[d.name] = d.symbol
                writer.symbolNames.append(d.name)
                writer.definedSymbols = writer.symbolNames.count
            }
            writer.lastAppendedTime = event.timestamp.rawValue
            writer.nextSequence = event.sequence + 1
        }
        writer.frameOutput.frames = frames
        let cut = reader.fileSize - lastFrame.endOffset
        writer.truncateBeforeWriting = cut > 0
        return (writer, AppendRecovery(truncatedTail: tornTail, bytesTruncated: cut, nextSequence: writer.nextSequence,
                                       intactFrames: frames.count))
    }
}
