(module
 (type $0 (func (param i32 i32 i32)))
 (type $1 (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $2 (func (param i32 i32 i32 i32)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32 i32 i32 i32 i32 i32)))
 (memory $0 0)
 (export "gemm" (func $../../tmp/wavehouse-asc-JUNjov/kernel/gemm))
 (export "gate" (func $../../tmp/wavehouse-asc-JUNjov/kernel/gate))
 (export "relu" (func $../../tmp/wavehouse-asc-JUNjov/kernel/relu))
 (export "step" (func $../../tmp/wavehouse-asc-JUNjov/kernel/step))
 (export "memory" (memory $0))
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/gemm (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32) (param $8 i32) (param $9 i32)
  (local $10 v128)
  (local $11 v128)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 v128)
  (local $19 v128)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 v128)
  local.get $5
  i32.const 3
  i32.shr_s
  local.set $14
  local.get $4
  i32.const 5
  i32.shl
  local.set $13
  local.get $1
  i32.const 2
  i32.shl
  local.set $15
  local.get $7
  i32.const 2
  i32.shl
  local.set $16
  loop $for-loop|0
   local.get $12
   i32.const 3
   i32.add
   local.get $2
   i32.lt_s
   if
    local.get $0
    local.get $12
    local.get $15
    i32.mul
    i32.add
    local.set $5
    local.get $6
    local.get $12
    local.get $16
    i32.mul
    i32.add
    local.set $7
    i32.const 0
    local.set $1
    loop $for-loop|1
     local.get $1
     local.get $14
     i32.lt_s
     if
      local.get $5
      local.get $15
      local.get $3
      local.get $1
      local.get $13
      i32.mul
      i32.add
      local.get $4
      local.get $7
      local.get $1
      i32.const 5
      i32.shl
      local.tee $17
      i32.add
      local.get $16
      local.get $8
      local.get $17
      i32.add
      i32.const 0
      local.get $8
      select
      local.get $9
      call $../../tmp/wavehouse-asc-JUNjov/kernel/k4p1
      local.get $1
      i32.const 1
      i32.add
      local.set $1
      br $for-loop|1
     end
    end
    local.get $12
    i32.const 4
    i32.add
    local.set $12
    br $for-loop|0
   end
  end
  loop $for-loop|2
   local.get $2
   local.get $12
   i32.gt_s
   if
    local.get $0
    local.get $12
    local.get $15
    i32.mul
    i32.add
    local.set $17
    local.get $6
    local.get $12
    local.get $16
    i32.mul
    i32.add
    local.set $20
    i32.const 0
    local.set $5
    loop $for-loop|3
     local.get $5
     i32.const 3
     i32.add
     local.get $14
     i32.lt_s
     if
      local.get $17
      local.get $3
      local.get $5
      local.get $13
      i32.mul
      i32.add
      local.get $13
      local.get $4
      local.get $5
      i32.const 5
      i32.shl
      local.tee $1
      local.get $20
      i32.add
      local.get $1
      local.get $8
      i32.add
      i32.const 0
      local.get $8
      select
      local.get $9
      call $../../tmp/wavehouse-asc-JUNjov/kernel/k1p4
      local.get $5
      i32.const 4
      i32.add
      local.set $5
      br $for-loop|3
     end
    end
    loop $for-loop|4
     local.get $5
     local.get $14
     i32.lt_s
     if
      local.get $3
      local.get $5
      local.get $13
      i32.mul
      i32.add
      local.set $7
      i32.const 0
      local.set $1
      local.get $5
      i32.const 5
      i32.shl
      local.tee $21
      local.get $20
      i32.add
      local.set $22
      local.get $9
      if (result v128)
       local.get $22
       v128.load
      else
       v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      end
      local.set $11
      local.get $8
      local.get $21
      i32.add
      i32.const 0
      local.get $8
      select
      local.tee $21
      if
       local.get $11
       local.get $21
       v128.load
       f32x4.add
       local.set $11
      end
      local.get $9
      if (result v128)
       local.get $22
       v128.load offset=16
      else
       v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      end
      local.set $10
      local.get $21
      if
       local.get $10
       local.get $21
       v128.load offset=16
       f32x4.add
       local.set $10
      end
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $18
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      local.set $19
      loop $for-loop|00
       local.get $1
       i32.const 1
       i32.add
       local.get $4
       i32.lt_s
       if
        local.get $11
        local.get $17
        local.get $1
        i32.const 2
        i32.shl
        i32.add
        local.tee $21
        v128.load32_splat
        local.tee $23
        local.get $7
        v128.load
        f32x4.mul
        f32x4.add
        local.set $11
        local.get $10
        local.get $23
        local.get $7
        v128.load offset=16
        f32x4.mul
        f32x4.add
        local.set $10
        local.get $18
        local.get $21
        v128.load32_splat offset=4
        local.tee $23
        local.get $7
        v128.load offset=32
        f32x4.mul
        f32x4.add
        local.set $18
        local.get $19
        local.get $23
        local.get $7
        v128.load offset=48
        f32x4.mul
        f32x4.add
        local.set $19
        local.get $7
        i32.const -64
        i32.sub
        local.set $7
        local.get $1
        i32.const 2
        i32.add
        local.set $1
        br $for-loop|00
       end
      end
      local.get $1
      local.get $4
      i32.lt_s
      if
       local.get $11
       local.get $17
       local.get $1
       i32.const 2
       i32.shl
       i32.add
       v128.load32_splat
       local.tee $23
       local.get $7
       v128.load
       f32x4.mul
       f32x4.add
       local.set $11
       local.get $10
       local.get $23
       local.get $7
       v128.load offset=16
       f32x4.mul
       f32x4.add
       local.set $10
      end
      local.get $22
      local.get $11
      local.get $18
      f32x4.add
      v128.store
      local.get $22
      local.get $10
      local.get $19
      f32x4.add
      v128.store offset=16
      local.get $5
      i32.const 1
      i32.add
      local.set $5
      br $for-loop|4
     end
    end
    local.get $12
    i32.const 1
    i32.add
    local.set $12
    br $for-loop|2
   end
  end
 )
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/gate (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32)
  (local $4 v128)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 v128)
  local.get $2
  i32.const 2
  i32.shl
  local.set $5
  loop $for-loop|0
   local.get $1
   local.get $6
   i32.gt_s
   if
    local.get $0
    local.get $6
    local.get $5
    i32.const 1
    i32.shl
    i32.mul
    i32.add
    local.set $7
    local.get $3
    local.get $5
    local.get $6
    i32.mul
    i32.add
    local.set $8
    i32.const 0
    local.set $2
    loop $for-loop|1
     local.get $2
     local.get $5
     i32.lt_u
     if
      local.get $2
      local.get $7
      i32.add
      v128.load
      local.tee $4
      local.get $4
      f32x4.add
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.max
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.min
      local.tee $4
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $9
      local.get $2
      local.get $8
      i32.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000
      v128.const i32x4 0x39506967 0x39506967 0x39506967 0x39506967
      local.get $4
      local.get $9
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $9
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $4
      f32x4.mul
      v128.const i32x4 0x3ab743ce 0x3ab743ce 0x3ab743ce 0x3ab743ce
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3c088908 0x3c088908 0x3c088908 0x3c088908
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.add
      local.get $4
      f32x4.mul
      local.get $4
      f32x4.mul
      local.get $4
      f32x4.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      local.get $9
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      f32x4.div
      f32x4.sub
      local.get $5
      local.get $7
      i32.add
      local.get $2
      i32.add
      v128.load
      f32x4.neg
      v128.const i32x4 0xc2ae0000 0xc2ae0000 0xc2ae0000 0xc2ae0000
      f32x4.max
      v128.const i32x4 0x42b00000 0x42b00000 0x42b00000 0x42b00000
      f32x4.min
      local.tee $4
      v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b
      f32x4.mul
      f32x4.nearest
      local.set $9
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      v128.const i32x4 0x39506967 0x39506967 0x39506967 0x39506967
      local.get $4
      local.get $9
      v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000
      f32x4.mul
      f32x4.sub
      local.get $9
      v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083
      f32x4.mul
      f32x4.sub
      local.tee $4
      f32x4.mul
      v128.const i32x4 0x3ab743ce 0x3ab743ce 0x3ab743ce 0x3ab743ce
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3c088908 0x3c088908 0x3c088908 0x3c088908
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa
      f32x4.add
      local.get $4
      f32x4.mul
      v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000
      f32x4.add
      local.get $4
      f32x4.mul
      local.get $4
      f32x4.mul
      local.get $4
      f32x4.add
      v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000
      f32x4.add
      local.get $9
      i32x4.trunc_sat_f32x4_s
      v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f
      i32x4.add
      i32.const 23
      i32x4.shl
      f32x4.mul
      f32x4.add
      f32x4.div
      f32x4.mul
      v128.store
      local.get $2
      i32.const 16
      i32.add
      local.set $2
      br $for-loop|1
     end
    end
    local.get $6
    i32.const 1
    i32.add
    local.set $6
    br $for-loop|0
   end
  end
 )
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/step (param $0 i32) (param $1 i32) (param $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 i32)
  (local $14 i32)
  (local $15 i32)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 i32)
  (local $20 i32)
  (local $21 i32)
  (local $22 i32)
  (local $23 i32)
  (local $24 i32)
  (local $25 i32)
  (local $26 i32)
  (local $27 i32)
  (local $28 i32)
  (local $29 i32)
  (local $30 i32)
  (local $31 i32)
  (local $32 i32)
  (local $33 i32)
  (local $34 i32)
  (local $35 i32)
  (local $36 i32)
  (local $37 i32)
  (local $38 i32)
  (local $39 i32)
  (local $40 i32)
  (local $41 i32)
  local.get $0
  i32.load
  local.set $23
  local.get $0
  i32.load offset=16
  local.set $19
  local.get $0
  i32.load offset=20
  local.set $31
  local.get $0
  i32.load offset=24
  local.set $32
  local.get $0
  i32.load offset=28
  local.set $33
  local.get $0
  i32.load offset=32
  local.set $24
  local.get $0
  i32.load offset=36
  local.set $25
  local.get $0
  i32.load offset=40
  local.set $26
  local.get $0
  i32.load offset=44
  local.set $27
  local.get $0
  i32.load offset=48
  local.set $10
  local.get $0
  i32.load offset=52
  local.set $20
  local.get $0
  i32.load offset=56
  local.set $11
  local.get $0
  i32.load offset=60
  local.set $13
  local.get $0
  i32.load offset=64
  local.set $21
  local.get $0
  i32.load offset=68
  local.set $14
  local.get $0
  i32.load offset=72
  local.set $28
  local.get $0
  i32.load offset=76
  local.set $34
  local.get $0
  i32.load offset=80
  local.set $35
  local.get $0
  i32.load offset=84
  local.set $22
  local.get $0
  i32.load offset=8
  local.tee $7
  i32.const 1
  i32.shl
  local.tee $12
  i32.const 2
  i32.shl
  local.set $8
  local.get $0
  i32.load offset=12
  local.tee $5
  local.get $0
  i32.load offset=4
  local.tee $36
  i32.add
  local.tee $15
  i32.const 2
  i32.shl
  local.set $18
  local.get $36
  i32.const 2
  i32.shl
  local.tee $9
  i32.const 1
  i32.shl
  local.set $29
  local.get $0
  i32.const 128
  i32.add
  i32.load offset=12
  local.set $37
  loop $for-loop|0
   local.get $1
   local.get $4
   i32.gt_s
   if
    local.get $34
    local.get $4
    i32.const 2
    i32.shl
    local.tee $3
    i32.add
    i32.load
    local.set $38
    local.get $3
    local.get $35
    i32.add
    i32.load
    local.set $39
    local.get $3
    local.get $22
    i32.add
    i32.load
    local.set $40
    local.get $11
    local.get $4
    local.get $8
    i32.mul
    i32.add
    local.set $6
    local.get $31
    local.get $9
    local.get $38
    i32.mul
    i32.add
    local.set $41
    local.get $10
    local.get $4
    local.get $18
    i32.mul
    i32.add
    local.set $30
    i32.const 0
    local.set $3
    loop $for-loop|00
     local.get $3
     local.get $36
     i32.const 2
     i32.shl
     i32.lt_u
     if
      local.get $3
      local.get $30
      i32.add
      local.get $3
      local.get $41
      i32.add
      v128.load
      v128.store
      local.get $3
      i32.const 16
      i32.add
      local.set $3
      br $for-loop|00
     end
    end
    i32.const 0
    local.set $3
    loop $for-loop|1
     local.get $3
     local.get $5
     i32.const 2
     i32.shl
     i32.lt_u
     if
      local.get $9
      local.get $30
      i32.add
      local.get $3
      i32.add
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      v128.store
      local.get $3
      i32.const 16
      i32.add
      local.set $3
      br $for-loop|1
     end
    end
    local.get $37
    local.get $8
    local.get $40
    i32.mul
    i32.add
    local.set $30
    local.get $32
    local.get $8
    local.get $38
    i32.mul
    i32.add
    local.set $40
    i32.const 0
    local.set $3
    loop $for-loop|01
     local.get $3
     local.get $12
     i32.const 2
     i32.shl
     i32.lt_u
     if
      local.get $3
      local.get $6
      i32.add
      local.get $3
      local.get $30
      i32.add
      v128.load
      local.get $3
      local.get $40
      i32.add
      v128.load
      f32x4.add
      v128.store
      local.get $3
      i32.const 16
      i32.add
      local.set $3
      br $for-loop|01
     end
    end
    local.get $39
    i32.const 0
    i32.ge_s
    if
     local.get $33
     local.get $8
     local.get $39
     i32.mul
     i32.add
     local.set $30
     i32.const 0
     local.set $3
     loop $for-loop|02
      local.get $3
      local.get $12
      i32.const 2
      i32.shl
      i32.lt_u
      if
       local.get $3
       local.get $6
       i32.add
       local.tee $39
       local.get $39
       v128.load
       local.get $3
       local.get $30
       i32.add
       v128.load
       f32x4.add
       v128.store
       local.get $3
       i32.const 16
       i32.add
       local.set $3
       br $for-loop|02
      end
     end
    end
    local.get $35
    local.get $4
    i32.const 2
    i32.shl
    i32.add
    local.get $38
    i32.store
    local.get $4
    i32.const 1
    i32.add
    local.set $4
    br $for-loop|0
   end
  end
  local.get $11
  local.get $1
  local.get $7
  local.get $13
  call $../../tmp/wavehouse-asc-JUNjov/kernel/gate
  local.get $13
  local.get $7
  local.get $1
  local.get $0
  i32.load offset=144
  local.get $7
  local.get $15
  local.get $10
  local.get $15
  local.get $0
  i32.load offset=148
  i32.const 1
  call $../../tmp/wavehouse-asc-JUNjov/kernel/gemm
  i32.const 1
  local.set $6
  loop $for-loop|2
   local.get $6
   local.get $23
   i32.lt_s
   if
    local.get $0
    i32.const 128
    i32.add
    local.get $6
    i32.const 24
    i32.mul
    i32.add
    local.tee $30
    i32.load
    local.set $31
    local.get $30
    i32.load offset=4
    local.set $32
    local.get $30
    i32.load offset=12
    local.set $33
    local.get $2
    local.get $31
    i32.rem_s
    local.get $9
    i32.mul
    local.set $34
    i32.const 0
    local.set $4
    loop $for-loop|3
     local.get $1
     local.get $4
     i32.gt_s
     if
      local.get $32
      local.get $4
      local.get $31
      i32.mul
      local.get $9
      i32.mul
      i32.add
      local.get $34
      i32.add
      local.set $35
      local.get $22
      local.get $4
      i32.const 2
      i32.shl
      i32.add
      i32.load
      local.set $37
      local.get $10
      local.get $4
      local.get $18
      i32.mul
      i32.add
      local.set $38
      local.get $20
      local.get $4
      local.get $29
      i32.mul
      i32.add
      local.set $39
      i32.const 0
      local.set $3
      loop $for-loop|03
       local.get $3
       local.get $36
       i32.const 2
       i32.shl
       i32.lt_u
       if
        local.get $3
        local.get $39
        i32.add
        local.get $3
        local.get $38
        i32.add
        v128.load
        v128.store
        local.get $3
        i32.const 16
        i32.add
        local.set $3
        br $for-loop|03
       end
      end
      local.get $9
      local.get $39
      i32.add
      local.set $39
      i32.const 0
      local.set $3
      loop $for-loop|04
       local.get $3
       local.get $36
       i32.const 2
       i32.shl
       i32.lt_u
       if
        local.get $3
        local.get $39
        i32.add
        local.get $3
        local.get $35
        i32.add
        v128.load
        v128.store
        local.get $3
        i32.const 16
        i32.add
        local.set $3
        br $for-loop|04
       end
      end
      i32.const 0
      local.set $3
      loop $for-loop|05
       local.get $3
       local.get $36
       i32.const 2
       i32.shl
       i32.lt_u
       if
        local.get $3
        local.get $35
        i32.add
        local.get $3
        local.get $38
        i32.add
        v128.load
        v128.store
        local.get $3
        i32.const 16
        i32.add
        local.set $3
        br $for-loop|05
       end
      end
      local.get $33
      local.get $8
      local.get $37
      i32.mul
      i32.add
      local.set $35
      local.get $11
      local.get $4
      local.get $8
      i32.mul
      i32.add
      local.set $37
      i32.const 0
      local.set $3
      loop $for-loop|06
       local.get $3
       local.get $12
       i32.const 2
       i32.shl
       i32.lt_u
       if
        local.get $3
        local.get $37
        i32.add
        local.get $3
        local.get $35
        i32.add
        v128.load
        v128.store
        local.get $3
        i32.const 16
        i32.add
        local.set $3
        br $for-loop|06
       end
      end
      local.get $4
      i32.const 1
      i32.add
      local.set $4
      br $for-loop|3
     end
    end
    local.get $20
    local.get $36
    i32.const 1
    i32.shl
    local.tee $3
    local.get $1
    local.get $30
    i32.load offset=8
    local.get $3
    local.get $12
    local.get $11
    local.get $12
    i32.const 0
    i32.const 1
    call $../../tmp/wavehouse-asc-JUNjov/kernel/gemm
    local.get $11
    local.get $1
    local.get $7
    local.get $13
    call $../../tmp/wavehouse-asc-JUNjov/kernel/gate
    local.get $13
    local.get $7
    local.get $1
    local.get $30
    i32.load offset=16
    local.get $7
    local.get $15
    local.get $10
    local.get $15
    local.get $30
    i32.load offset=20
    i32.const 1
    call $../../tmp/wavehouse-asc-JUNjov/kernel/gemm
    local.get $6
    i32.const 1
    i32.add
    local.set $6
    br $for-loop|2
   end
  end
  loop $for-loop|4
   local.get $1
   local.get $16
   i32.gt_s
   if
    local.get $10
    local.get $16
    local.get $18
    i32.mul
    i32.add
    local.get $9
    i32.add
    local.set $2
    local.get $21
    local.get $16
    local.get $5
    i32.const 2
    i32.shl
    i32.mul
    i32.add
    local.set $3
    i32.const 0
    local.set $0
    loop $for-loop|07
     local.get $0
     local.get $5
     i32.const 2
     i32.shl
     i32.lt_u
     if
      local.get $0
      local.get $3
      i32.add
      local.get $0
      local.get $2
      i32.add
      v128.load
      v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
      f32x4.max
      v128.store
      local.get $0
      i32.const 16
      i32.add
      local.set $0
      br $for-loop|07
     end
    end
    local.get $16
    i32.const 1
    i32.add
    local.set $16
    br $for-loop|4
   end
  end
  local.get $21
  local.get $5
  local.get $1
  local.get $24
  local.get $5
  local.get $5
  local.get $14
  local.get $5
  local.get $25
  i32.const 0
  call $../../tmp/wavehouse-asc-JUNjov/kernel/gemm
  local.get $1
  local.get $5
  i32.mul
  local.set $0
  loop $for-loop|08
   local.get $17
   local.get $0
   i32.const 2
   i32.shl
   i32.lt_u
   if
    local.get $14
    local.get $17
    i32.add
    local.tee $2
    local.get $2
    v128.load
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    f32x4.max
    v128.store
    local.get $17
    i32.const 16
    i32.add
    local.set $17
    br $for-loop|08
   end
  end
  local.get $14
  local.get $5
  local.get $1
  local.get $26
  local.get $5
  local.get $19
  local.get $28
  local.get $19
  local.get $27
  i32.const 0
  call $../../tmp/wavehouse-asc-JUNjov/kernel/gemm
 )
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/relu (param $0 i32) (param $1 i32) (param $2 i32)
  (local $3 i32)
  loop $for-loop|0
   local.get $3
   local.get $2
   i32.const 2
   i32.shl
   i32.lt_u
   if
    local.get $1
    local.get $3
    i32.add
    local.get $0
    local.get $3
    i32.add
    v128.load
    v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
    f32x4.max
    v128.store
    local.get $3
    i32.const 16
    i32.add
    local.set $3
    br $for-loop|0
   end
  end
 )
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/k4p1 (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32) (param $7 i32)
  (local $8 v128)
  (local $9 v128)
  (local $10 v128)
  (local $11 v128)
  (local $12 v128)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 i32)
  (local $17 i32)
  (local $18 i32)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  local.get $4
  local.get $5
  i32.add
  local.tee $17
  local.get $5
  i32.add
  local.tee $18
  local.get $5
  i32.add
  local.set $5
  local.get $7
  if (result v128)
   local.get $4
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $8
  local.get $6
  if
   local.get $8
   local.get $6
   v128.load
   f32x4.add
   local.set $8
  end
  local.get $7
  if (result v128)
   local.get $4
   v128.load offset=16
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $9
  local.get $6
  if
   local.get $9
   local.get $6
   v128.load offset=16
   f32x4.add
   local.set $9
  end
  local.get $7
  if (result v128)
   local.get $17
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $10
  local.get $6
  if
   local.get $10
   local.get $6
   v128.load
   f32x4.add
   local.set $10
  end
  local.get $7
  if (result v128)
   local.get $17
   v128.load offset=16
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $11
  local.get $6
  if
   local.get $11
   local.get $6
   v128.load offset=16
   f32x4.add
   local.set $11
  end
  local.get $7
  if (result v128)
   local.get $18
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $12
  local.get $6
  if
   local.get $12
   local.get $6
   v128.load
   f32x4.add
   local.set $12
  end
  local.get $7
  if (result v128)
   local.get $18
   v128.load offset=16
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $13
  local.get $6
  if
   local.get $13
   local.get $6
   v128.load offset=16
   f32x4.add
   local.set $13
  end
  local.get $7
  if (result v128)
   local.get $5
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $14
  local.get $6
  if
   local.get $14
   local.get $6
   v128.load
   f32x4.add
   local.set $14
  end
  local.get $7
  if (result v128)
   local.get $5
   v128.load offset=16
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $15
  local.get $6
  if
   local.get $15
   local.get $6
   v128.load offset=16
   f32x4.add
   local.set $15
  end
  local.get $0
  local.get $1
  i32.add
  local.tee $6
  local.get $1
  i32.add
  local.tee $7
  local.get $1
  i32.add
  local.set $1
  loop $for-loop|0
   local.get $16
   local.get $3
   i32.const 2
   i32.shl
   i32.lt_u
   if
    local.get $8
    local.get $0
    local.get $16
    i32.add
    v128.load32_splat
    local.tee $20
    local.get $2
    v128.load
    local.tee $19
    f32x4.mul
    f32x4.add
    local.set $8
    local.get $9
    local.get $20
    local.get $2
    v128.load offset=16
    local.tee $20
    f32x4.mul
    f32x4.add
    local.set $9
    local.get $10
    local.get $6
    local.get $16
    i32.add
    v128.load32_splat
    local.tee $21
    local.get $19
    f32x4.mul
    f32x4.add
    local.set $10
    local.get $11
    local.get $21
    local.get $20
    f32x4.mul
    f32x4.add
    local.set $11
    local.get $12
    local.get $7
    local.get $16
    i32.add
    v128.load32_splat
    local.tee $21
    local.get $19
    f32x4.mul
    f32x4.add
    local.set $12
    local.get $13
    local.get $21
    local.get $20
    f32x4.mul
    f32x4.add
    local.set $13
    local.get $14
    local.get $1
    local.get $16
    i32.add
    v128.load32_splat
    local.tee $21
    local.get $19
    f32x4.mul
    f32x4.add
    local.set $14
    local.get $15
    local.get $21
    local.get $20
    f32x4.mul
    f32x4.add
    local.set $15
    local.get $2
    i32.const 32
    i32.add
    local.set $2
    local.get $16
    i32.const 4
    i32.add
    local.set $16
    br $for-loop|0
   end
  end
  local.get $4
  local.get $8
  v128.store
  local.get $4
  local.get $9
  v128.store offset=16
  local.get $17
  local.get $10
  v128.store
  local.get $17
  local.get $11
  v128.store offset=16
  local.get $18
  local.get $12
  v128.store
  local.get $18
  local.get $13
  v128.store offset=16
  local.get $5
  local.get $14
  v128.store
  local.get $5
  local.get $15
  v128.store offset=16
 )
 (func $../../tmp/wavehouse-asc-JUNjov/kernel/k1p4 (param $0 i32) (param $1 i32) (param $2 i32) (param $3 i32) (param $4 i32) (param $5 i32) (param $6 i32)
  (local $7 v128)
  (local $8 v128)
  (local $9 v128)
  (local $10 v128)
  (local $11 v128)
  (local $12 v128)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 i32)
  local.get $6
  if (result v128)
   local.get $4
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $7
  local.get $5
  if
   local.get $7
   local.get $5
   v128.load
   f32x4.add
   local.set $7
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=16
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $8
  local.get $5
  if
   local.get $8
   local.get $5
   v128.load offset=16
   f32x4.add
   local.set $8
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=32
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $9
  local.get $5
  if
   local.get $9
   local.get $5
   v128.load offset=32
   f32x4.add
   local.set $9
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=48
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $10
  local.get $5
  if
   local.get $10
   local.get $5
   v128.load offset=48
   f32x4.add
   local.set $10
  end
  local.get $6
  if (result v128)
   local.get $4
   i32.const -64
   i32.sub
   v128.load
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $11
  local.get $5
  if
   local.get $11
   local.get $5
   i32.const -64
   i32.sub
   v128.load
   f32x4.add
   local.set $11
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=80
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $12
  local.get $5
  if
   local.get $12
   local.get $5
   v128.load offset=80
   f32x4.add
   local.set $12
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=96
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $13
  local.get $5
  if
   local.get $13
   local.get $5
   v128.load offset=96
   f32x4.add
   local.set $13
  end
  local.get $6
  if (result v128)
   local.get $4
   v128.load offset=112
  else
   v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000
  end
  local.set $14
  local.get $5
  if
   local.get $14
   local.get $5
   v128.load offset=112
   f32x4.add
   local.set $14
  end
  local.get $1
  local.get $2
  i32.add
  local.set $16
  local.get $1
  local.get $2
  i32.const 1
  i32.shl
  i32.add
  local.set $6
  local.get $1
  local.get $2
  i32.const 3
  i32.mul
  i32.add
  local.set $5
  local.get $0
  local.get $3
  i32.const 2
  i32.shl
  i32.add
  local.set $2
  loop $for-loop|0
   local.get $0
   local.get $2
   i32.lt_u
   if
    local.get $7
    local.get $0
    v128.load32_splat
    local.tee $15
    local.get $1
    v128.load
    f32x4.mul
    f32x4.add
    local.set $7
    local.get $8
    local.get $15
    local.get $1
    v128.load offset=16
    f32x4.mul
    f32x4.add
    local.set $8
    local.get $9
    local.get $15
    local.get $16
    v128.load
    f32x4.mul
    f32x4.add
    local.set $9
    local.get $10
    local.get $15
    local.get $16
    v128.load offset=16
    f32x4.mul
    f32x4.add
    local.set $10
    local.get $11
    local.get $15
    local.get $6
    v128.load
    f32x4.mul
    f32x4.add
    local.set $11
    local.get $12
    local.get $15
    local.get $6
    v128.load offset=16
    f32x4.mul
    f32x4.add
    local.set $12
    local.get $13
    local.get $15
    local.get $5
    v128.load
    f32x4.mul
    f32x4.add
    local.set $13
    local.get $14
    local.get $15
    local.get $5
    v128.load offset=16
    f32x4.mul
    f32x4.add
    local.set $14
    local.get $1
    i32.const 32
    i32.add
    local.set $1
    local.get $16
    i32.const 32
    i32.add
    local.set $16
    local.get $6
    i32.const 32
    i32.add
    local.set $6
    local.get $5
    i32.const 32
    i32.add
    local.set $5
    local.get $0
    i32.const 4
    i32.add
    local.set $0
    br $for-loop|0
   end
  end
  local.get $4
  local.get $7
  v128.store
  local.get $4
  local.get $8
  v128.store offset=16
  local.get $4
  local.get $9
  v128.store offset=32
  local.get $4
  local.get $10
  v128.store offset=48
  local.get $4
  local.get $11
  v128.store offset=64
  local.get $4
  local.get $12
  v128.store offset=80
  local.get $4
  local.get $13
  v128.store offset=96
  local.get $4
  local.get $14
  v128.store offset=112
 )
)
